"""The report's colours in one place, the same values as the app's charts (dashboard/charts.py).

`ui` is moving one colour-blind-safe palette into a shared module; once it is on main, this file imports it
instead of repeating the values. Reifegrad: ColorBrewer YlGnBu (sequential, colour-blind safe) with a text
colour that keeps 4.5:1 contrast on each; cities: Okabe–Ito, lines also differ by dash pattern.
"""

NO_VALUE = "keine Angabe"
REIFEGRAD_COLOURS: dict[str, str] = {
    "0": "#ffffcc", "1": "#c7e9b4", "2": "#7fcdbb", "3": "#2c7fb8", "4": "#253494", NO_VALUE: "#d9d9d9",
}
REIFEGRAD_TEXT: dict[str, str] = {"0": "#000000", "1": "#000000", "2": "#000000", "3": "#ffffff", "4": "#ffffff",
                                  NO_VALUE: "#000000"}
CITY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
CITY_DASHES = ("solid", "dashed", "dotted", "double")  # CSS border styles; the SVG maps each to a dash array
