"""The cached German hyphenation patterns hyphenate exactly like Pyphen's own parsing of the dictionary."""

from pathlib import Path

import pyphen
import pytest

from reports import hyphenation

WORDS = ["Stiftungssatzungsänderungsgenehmigung", "Kommunen", "Entwicklungskosten", "Leistungen", "Ende"]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder and no German patterns in Pyphen's process cache (restored afterwards)."""
    monkeypatch.setenv("OZG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    return tmp_path


def test_cache_file_is_written_once_and_hyphenates_like_pyphen(fresh):
    expected = [pyphen.Pyphen(lang="de_DE").inserted(w) for w in WORDS]  # Pyphen parsing the dictionary
    pyphen.hdcache.clear()
    hyphenation.warm()
    written = list(fresh.glob("hyph-de_DE-*.marshal"))
    assert len(written) == 1
    pyphen.hdcache.clear()
    hyphenation.warm()  # now from the file
    loaded = pyphen.hdcache[Path(pyphen.LANGUAGES["de_DE"])]
    assert loaded.patterns and [pyphen.Pyphen(lang="de_DE").inserted(w) for w in WORDS] == expected
    assert expected[0] == "Stif-tungs-sat-zungs-än-de-rungs-ge-neh-mi-gung"


def test_a_broken_cache_file_falls_back_to_the_dictionary(fresh):
    hyphenation.warm()
    target = next(fresh.glob("hyph-de_DE-*.marshal"))
    target.write_bytes(b"not marshal")
    pyphen.hdcache.clear()
    hyphenation.warm()
    assert pyphen.Pyphen(lang="de_DE").inserted("Kommunen") == "Kom-mu-nen"


def test_an_unwritable_cache_folder_is_no_error(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("OZG_CACHE_DIR", str(blocker / "sub"))  # a folder below a file cannot be created
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.warm()
    assert pyphen.Pyphen(lang="de_DE").inserted("Kommunen") == "Kom-mu-nen"
