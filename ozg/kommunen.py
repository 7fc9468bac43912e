"""Kommunen and named groups of them (the cooperation is data: data/cities.csv + data/cooperation.json)."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

from ozg import config
from ozg.db import Conn, Database
from ozg.domain import Kommune
from ozg.errors import NotFound

KOMMUNE_COLUMNS = ("ags", "ars", "name", "official_name", "state", "kreis", "population", "portal_url")


def cooperation_name() -> str:
    """Display name of the cooperation (data/cooperation.json)."""
    return json.loads((config.DATA_DIR / "cooperation.json").read_text(encoding="utf-8"))["name"]


def read_cities_csv(path: Path) -> list[dict]:
    """Rows of a cities file (AGS kept as text, zero-padded to 8 digits)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = []
        for raw in csv.DictReader(fh):
            row = {col: (raw.get(col) or None) for col in KOMMUNE_COLUMNS}
            row["ags"] = row["ags"].strip().zfill(8)
            row["population"] = int(row["population"]) if row["population"] else None
            rows.append(row)
        return rows


def upsert_kommunen(conn: Conn, rows: list[dict], group: str | None = None) -> None:
    """Insert or update Kommunen; optionally make exactly these the members of `group`."""
    for row in rows:
        conn.execute("DELETE FROM kommune WHERE ags = ?", [row["ags"]])
        conn.execute(
            f"INSERT INTO kommune ({', '.join(KOMMUNE_COLUMNS)}) VALUES ({', '.join('?' * len(KOMMUNE_COLUMNS))})",
            [row[c] for c in KOMMUNE_COLUMNS],
        )
    if group:
        conn.execute("DELETE FROM kommune_group WHERE group_name = ?", [group])
        conn.executemany("INSERT INTO kommune_group (group_name, ags) VALUES (?, ?)",
                         [(group, row["ags"]) for row in rows])


def load_cooperation(db: Database) -> int:
    """Load data/cities.csv as the cooperation's members. Returns the number of Kommunen."""
    meta = json.loads((config.DATA_DIR / "cooperation.json").read_text(encoding="utf-8"))
    rows = read_cities_csv(config.DATA_DIR / meta["members_file"])
    with db.transaction() as conn:
        upsert_kommunen(conn, rows, group=meta["name"])
    return len(rows)




def fold(text: str) -> str:
    """Case-, accent- and ß-insensitive key: 'Gießen' == 'giessen' == 'GIESSEN' == 'Giessen'."""
    text = text.strip().casefold().replace("ß", "ss")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def resolve(conn: Conn, city: str) -> Kommune:
    """Find a Kommune by AGS or by name (case, Umlauts and 'ss' for 'ß' do not matter)."""
    wanted = city.strip()
    cols = "ags, name, state, kreis, population, portal_url"
    if wanted.isdigit():
        rows = conn.execute(f"SELECT {cols} FROM kommune WHERE ags = ?", [wanted.zfill(8)])
    else:
        key = fold(wanted)
        rows = [r[:6] for r in conn.execute(f"SELECT {cols}, official_name FROM kommune ORDER BY ags")
                if key in (fold(r[1]), fold(r[6] or ""))]
    if not rows:
        raise NotFound(f"Kommune „{city}“ ist nicht bekannt. Erwartet: AGS (8 Ziffern) oder Name, z. B. „Gießen“.")
    if len(rows) > 1:
        raise NotFound(f"„{city}“ ist nicht eindeutig ({', '.join(r[0] for r in rows)}). Bitte den AGS angeben.")
    return Kommune(*rows[0])


def name_index(conn: Conn) -> dict[str, str]:
    """Folded name or AGS -> AGS, for reading Federführung cells."""
    index = {}
    for ags, name, official in conn.execute("SELECT ags, name, official_name FROM kommune"):
        index[ags] = ags
        index[fold(name)] = ags
        if official:
            index[fold(official)] = ags
    return index


def from_frame(frame, ags: str) -> Kommune:
    """The Kommune `ags` from a frame of queries.kommunen() (pages hold rows, not Kommune objects)."""
    row = frame.set_index("ags").loc[ags]
    return Kommune(ags, row["name"], row["state"], row["kreis"], row["population"], row["portal_url"])
