"""The shared palette: every Reifegrad fill keeps its text readable, levels are ordered light to dark."""

from __future__ import annotations

import pytest

from ozg import palette


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("key", list(palette.REIFEGRAD_FILL))
def test_text_on_every_fill_meets_wcag_aa(key):
    assert _contrast(palette.REIFEGRAD_FILL[key], palette.REIFEGRAD_TEXT[key]) >= 4.5


def test_levels_get_darker_with_the_reifegrad():
    lums = [_luminance(palette.REIFEGRAD_FILL[str(level)]) for level in range(5)]
    assert lums == sorted(lums, reverse=True)
    assert len(set(palette.REIFEGRAD_FILL.values())) == len(palette.REIFEGRAD_FILL)


@pytest.mark.parametrize(("value", "key"), [(3, "3"), (3.0, "3"), ("4", "4"), (None, "keine Angabe"),
                                            (float("nan"), "keine Angabe"), ("nicht relevant", "nicht relevant"),
                                            ("keine Angabe", "keine Angabe"), (6, "6")])
def test_any_reifegrad_value_maps_to_its_key(value, key):
    assert palette.level_key(value) == key


def test_symbols_and_higher_levels():
    assert [palette.reifegrad_symbol(v) for v in (0, 4, None, "nicht relevant", 6)] == ["0", "4", "–", "n. r.", "6"]
    assert palette.reifegrad_fill(6) == palette.HIGHER_LEVEL_FILL
    assert _contrast(palette.HIGHER_LEVEL_FILL, palette.HIGHER_LEVEL_TEXT) >= 4.5
    assert palette.city_colour(0) == palette.city_colour(len(palette.CITY_COLOURS))


def test_text_on_every_city_colour_meets_wcag_aa():
    for fill, text in zip(palette.CITY_COLOURS, palette.CITY_TEXT, strict=True):
        assert _contrast(fill, text) >= 4.5, fill
