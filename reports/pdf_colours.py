"""The report's colours: the app's one colour-blind-safe palette (ozg/palette.py), so PDF and app agree.

Reifegrad: ColorBrewer YlGnBu with a text colour that keeps 4.5:1 contrast on each; cities: Okabe–Ito. Only the
line dashes are the report's own (CSS border styles; the SVG maps each to a dash array).
"""

from ozg import palette

NO_VALUE = palette.NO_VALUE
REIFEGRAD_COLOURS: dict[str, str] = {k: v for k, v in palette.REIFEGRAD_FILL.items() if k != palette.NOT_RELEVANT}
REIFEGRAD_TEXT: dict[str, str] = {k: v for k, v in palette.REIFEGRAD_TEXT.items() if k != palette.NOT_RELEVANT}
CITY_COLOURS = palette.CITY_COLOURS
CITY_DASHES = ("solid", "dashed", "dotted", "double")  # CSS border styles; the SVG maps each to a dash array
