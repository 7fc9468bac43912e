"""Every batch kind the code writes has a German label; no raw code reaches a screen."""

from __future__ import annotations

import re
from pathlib import Path

from ozg import labels

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_written_anywhere_has_a_label():
    written = set()
    for path in [*ROOT.glob("ozg/*.py"), *ROOT.glob("loaders/*.py")]:
        written |= set(re.findall(r'BatchInfo\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert written and written <= set(labels.BATCH_KINDS), written - set(labels.BATCH_KINDS)


def test_labels_are_german_and_unknown_codes_stay_hidden():
    assert labels.batch_kind("sample") == "Beispieldaten"
    assert labels.batch_kind("revert") == "Rücknahme"
    assert labels.batch_kind("something_new") == "sonstige Änderung"
    assert labels.batch_kind(None) == "–"
