"""Citizens' service directory (Online-Dienste-Verzeichnis) of one Kommune: data, leistungen.json, files, ZIP.

`python -m reports verzeichnis --city CITY -o DIR [--as-of DATE]` (or `--all`) writes DIR/index.html,
DIR/fragment.html and DIR/leistungen.json. The list holds exactly the Leistungen online in that Kommune under the
counting rule (ozg.domain.is_online, the same rule as every count in the cockpit). A Link whose latest check
failed is never published as a link: the Leistung is listed „vorübergehend nicht erreichbar“ and its JSON `link`
is null.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ozg import clock, kommunen, links, queries
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, is_online

FILES = ("index.html", "fragment.html", "leistungen.json")


@dataclass(frozen=True)
class Entry:
    ozg_id: str
    name: str
    themenfeld: str
    link: str | None         # None: no Link reported, or the last check found it broken (see `unreachable`)
    unreachable: bool        # the reported Link failed its latest check
    ende_zu_ende: bool
    federfuehrung: str | None  # name of the lead city of a shared development


@dataclass(frozen=True)
class Directory:
    ags: str
    name: str
    portal: str | None
    stand: dt.date
    threshold: int
    entries: tuple[Entry, ...]

    @property
    def unreachable(self) -> int:
        return sum(e.unreachable for e in self.entries)


def _text(value) -> str | None:
    return None if value is None or value != value or str(value).strip() == "" else str(value).strip()


def _web_address(value) -> str | None:
    """Only http(s) addresses become links on a city's website (imports check this too; a page must not trust it)."""
    text = _text(value)
    return text if text and text.lower().startswith(("https://", "http://")) else None


def build(db: Database, city: str, as_of: dt.date | None = None,
          threshold: int = DEFAULT_ONLINE_THRESHOLD) -> Directory:
    """The directory of one Kommune (AGS or name) as of the end of `as_of` (None: now)."""
    with db.connect() as conn:
        kommune = kommunen.resolve(conn, city)
    rows = queries.status_table(db, as_of=as_of, ags=[kommune.ags])
    checks = links.latest_checks(db, kommune.ags, as_of)
    failed = {(r.ozg_id, r.url) for r in checks.itertuples() if not r.ok}
    entries = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples():
        if not is_online(row.reifegrad, threshold) or row.status == "nicht relevant":
            continue
        link = _web_address(row.link)
        broken = link is not None and (row.ozg_id, row.link) in failed
        entries.append(Entry(row.ozg_id, row.leistung, _text(row.themenfeld) or "Weitere Leistungen",
                             None if broken else link, broken, bool(row.ende_zu_ende),
                             _text(row.federfuehrung_name)))
    entries.sort(key=lambda e: (kommunen.fold(e.themenfeld), kommunen.fold(e.name), e.ozg_id))
    return Directory(kommune.ags, kommune.name, _web_address(kommune.portal_url), as_of or clock.today(), threshold,
                     tuple(entries))


def to_json(directory: Directory) -> str:
    """leistungen.json (contract in the README, section „Online-Dienste-Verzeichnis“)."""
    data = {
        "kommune": {"ags": directory.ags, "name": directory.name, "portal": directory.portal},
        "stand": directory.stand.isoformat(),
        "leistungen": [{"ozg_id": e.ozg_id, "name": e.name, "themenfeld": e.themenfeld, "link": e.link,
                        "ende_zu_ende": e.ende_zu_ende, "federfuehrung": e.federfuehrung}
                       for e in directory.entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_files(directory: Directory) -> dict[str, bytes]:
    """The three published files by name."""
    from reports import verzeichnis_html

    return {
        "index.html": verzeichnis_html.page(directory).encode("utf-8"),
        "fragment.html": verzeichnis_html.fragment(directory).encode("utf-8"),
        "leistungen.json": to_json(directory).encode("utf-8"),
    }


def folder_name(name: str) -> str:
    """Sub-folder of `--all`: 'Limburg an der Lahn' -> 'limburg-an-der-lahn', 'Gießen' -> 'giessen'."""
    return re.sub(r"[^a-z0-9]+", "-", kommunen.fold(name)).strip("-") or "kommune"


def write(directory: Directory, target: Path) -> list[Path]:
    """Write the files into `target` (created if missing); each file appears whole or not at all."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render_files(directory).items():
        path = target / name
        partial = target / f".{name}.part"
        try:
            partial.write_bytes(content)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        written.append(path)
    return written


def zip_bytes(directory: Directory) -> bytes:
    """The three files in one ZIP (the app's download), under a folder named after the Kommune."""
    buffer = io.BytesIO()
    folder = f"verzeichnis-{folder_name(directory.name)}"
    stamp = (directory.stand.year, directory.stand.month, directory.stand.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in render_files(directory).items():
            archive.writestr(zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def cooperation_cities(db: Database) -> list[tuple[str, str]]:
    """(ags, name) of every member of the cooperation, for `--all`."""
    frame = queries.kommunen(db, group=kommunen.cooperation_name())
    return list(zip(frame["ags"], frame["name"]))
