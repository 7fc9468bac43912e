import pandas as pd
import pytest

from reports.safe import neutralise, neutralise_frame


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","Klick")', "+1", "-2+3", "@SUM(A1:A2)",
                                  "\tversteckt", "\rZeile"])
def test_trigger_characters_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Gießen", "10001", "a=b", " =1", "", None, 3, -1, 2.5])
def test_harmless_values_stay(value):
    assert neutralise(value) == value


def test_frame_neutralises_text_columns_and_headers_only():
    frame = pd.DataFrame({"=Kopf": ["=1+1", "ok"], "Zahl": [-1, 2]})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=Kopf", "Zahl"]
    assert list(out["'=Kopf"]) == ["'=1+1", "ok"]
    assert list(out["Zahl"]) == [-1, 2]
