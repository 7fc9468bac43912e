"""Icons in the dashboard are Material icons (":material/name:"): an emoji renders as an empty box on a machine
without an emoji font (many office PCs, Debian without fonts-noto-color-emoji)."""

from __future__ import annotations

import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
# pictographs, dingbats and symbol blocks that are drawn by emoji fonts (not typographic marks like „ “ – … €)
EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f]")
ICON_ARG = re.compile(r"""\b(?:page_)?icon\s*=\s*(["'])(.*?)\1""")


def test_no_emoji_anywhere_in_the_dashboard_sources():
    found = [f"{path.relative_to(DASHBOARD)}:{n}: {line.strip()}"
             for path in sorted(DASHBOARD.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if EMOJI.search(line)]
    assert not found, "\n".join(found)


def test_every_icon_argument_is_a_material_icon():
    icons = [(path.name, m.group(2)) for path in sorted(DASHBOARD.rglob("*.py"))
             for m in ICON_ARG.finditer(path.read_text(encoding="utf-8"))]
    assert len(icons) >= 5  # the scan finds the icons the pages use
    assert [i for i in icons if not re.fullmatch(r":material/[a-z0-9_]+:", i[1])] == []
