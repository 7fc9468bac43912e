"""The one colour palette of the cockpit, shared by the app (dashboard/charts.py) and the reports (PDF).

Define colours nowhere else: a Reifegrad must look the same on screen and on paper.

- Reifegrad 0..4 (model 1.1): ColorBrewer YlGnBu, light to dark (sequential, safe for every common colour-vision
  deficiency and in greyscale print). Each fill comes with a text colour of at least 4.5:1 contrast (WCAG AA),
  and with a short cell label, so no information depends on colour alone.
- Model 2.0 levels above 4 share the darkest blue.
- "keine Angabe" is mid grey, "nicht relevant" white with grey text (shown with a border where it matters).
- Cities: Okabe & Ito (2008) "Color Universal Design", in a fixed order; lines also differ by dash.

Keys are text: "0".."4" for the levels, NO_VALUE and NOT_RELEVANT for the two non-levels.
"""

from __future__ import annotations

NO_VALUE = "keine Angabe"
NOT_RELEVANT = "nicht relevant"

REIFEGRAD_FILL: dict[str, str] = {
    "0": "#ffffcc", "1": "#a1dab4", "2": "#41b6c4", "3": "#225ea8", "4": "#253494",
    NO_VALUE: "#d9d9d9", NOT_RELEVANT: "#ffffff",
}
REIFEGRAD_TEXT: dict[str, str] = {
    "0": "#000000", "1": "#000000", "2": "#000000", "3": "#ffffff", "4": "#ffffff",
    NO_VALUE: "#000000", NOT_RELEVANT: "#595959",
}
HIGHER_LEVEL_FILL = "#081d58"  # model 2.0 levels 5..7
HIGHER_LEVEL_TEXT = "#ffffff"
# Short cell labels (a digit or a sign), narrow enough for a matrix cell on a phone.
REIFEGRAD_SYMBOL: dict[str, str] = {NO_VALUE: "–", NOT_RELEVANT: "n. r."}

CITY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
# Text on a city-coloured bar: white on the dark ones, black on the rest (both >= 4.5:1).
CITY_TEXT = ("#ffffff", "#000000", "#000000", "#000000", "#000000", "#000000", "#ffffff", "#000000")
CITY_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")

INK = "#1f1f1f"        # text and axis lines
MUTED_INK = "#444444"  # secondary text (deadline labels), 9.7:1 on white
GRID = "#e5e5e5"
PAPER = "#ffffff"


def level_key(level) -> str:
    """Any Reifegrad value (3, 3.0, '3', None, 'keine Angabe', 'nicht relevant') as a palette key."""
    if level is None or level == "" or level == NO_VALUE:
        return NO_VALUE
    if level == NOT_RELEVANT:
        return NOT_RELEVANT
    try:
        number = float(level)
    except (TypeError, ValueError):
        return NO_VALUE
    if number != number:  # NaN
        return NO_VALUE
    return str(int(number))


def reifegrad_fill(level) -> str:
    key = level_key(level)
    return REIFEGRAD_FILL.get(key, HIGHER_LEVEL_FILL)


def reifegrad_text(level) -> str:
    key = level_key(level)
    return REIFEGRAD_TEXT.get(key, HIGHER_LEVEL_TEXT)


def reifegrad_symbol(level) -> str:
    """'3' for Reifegrad 3, '–' for keine Angabe, 'n. r.' for nicht relevant."""
    key = level_key(level)
    return REIFEGRAD_SYMBOL.get(key, key)


def city_colour(index: int) -> str:
    return CITY_COLOURS[index % len(CITY_COLOURS)]


def city_text(index: int) -> str:
    return CITY_TEXT[index % len(CITY_TEXT)]


def city_dash(index: int) -> str:
    return CITY_DASHES[index % len(CITY_DASHES)]
