"""The per-Kommune summary of the current state (table status_summary, migration 0005), kept exact on write.

Why: at national scale (10,981 Gemeinden × 557 Leistungen = 6.1 M status rows) every KPI would scan all rows.
The summary groups each Kommune's current rows by exactly the attributes the counting rules look at (Reifegrad,
nicht relevant, Ende-zu-Ende, Bescheid digital, own Federführung, Geplant bis), so any threshold and any day can
still be counted exactly from fewer rows. It is rebuilt per touched Kommune inside the writing transaction
(ozg.status.write_change_groups), never incrementally patched, so it cannot drift. kreis_summary sums it per
Kreis (AGS digits 1-5) for national and Land views. Retired Leistungen are left out; if the catalogue's retired
set changes, readers see it via is_fresh() and use the exact scan until the next write rebuilds everything.
"""

from __future__ import annotations

from ozg.db import Conn
from ozg.queries import rules


def _grouped_template() -> str:
    return f"""
SELECT s.ags, s.reifegrad, NOT {rules.relevant()}, coalesce(s.ende_zu_ende, FALSE),
       coalesce(s.bescheid_digital, FALSE), coalesce(s.federfuehrung = s.ags, FALSE), s.geplant_bis,
       count(*), max(s.changed_at)
FROM status_current s JOIN leistung l ON l.ozg_id = s.ozg_id AND {rules.active()}
{{where}}
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""


_INSERT = "INSERT INTO status_summary (ags, reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, " \
          "geplant_bis, n, last_change) "
_KREIS = """
INSERT INTO kreis_summary (kreis, reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
    n, last_change)
SELECT substr(ags, 1, 5), reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
       sum(n), max(last_change)
FROM status_summary {where}
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
_RETIRED = "SELECT coalesce(string_agg(ozg_id, ',' ORDER BY ozg_id), '') FROM leistung WHERE retired"
_CHUNK = 500


def catalogue_signature(conn: Conn) -> str:
    """Which Leistungen are retired (the summary counts only the others)."""
    return conn.one(_RETIRED) or ""


def is_fresh(conn: Conn) -> bool:
    """True when the summary was built for the catalogue's current retired set."""
    stored = conn.one("SELECT value FROM meta WHERE key = 'summary_catalogue'")
    return stored is not None and stored == catalogue_signature(conn)


def refresh(conn: Conn, ags: list[str]) -> None:
    """Rebuild the summary rows of these Kommunen (all of them if the catalogue changed since the last build)."""
    if not ags:
        return
    stored = conn.one("SELECT value FROM meta WHERE key = 'summary_catalogue'")
    if stored is None and not conn.one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'status_summary'"):
        return  # a schema before migration 0005: that migration builds the summary from status_current
    if stored != catalogue_signature(conn):
        rebuild(conn)
        return
    grouped = _grouped_template()
    for start in range(0, len(ags), _CHUNK):
        chunk = ags[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        conn.execute(f"DELETE FROM status_summary WHERE ags IN ({marks})", chunk)
        conn.execute(_INSERT + grouped.format(where=f"WHERE s.ags IN ({marks})"), chunk)
    kreise = sorted({a[:5] for a in ags})
    for start in range(0, len(kreise), _CHUNK):
        chunk = kreise[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        conn.execute(f"DELETE FROM kreis_summary WHERE kreis IN ({marks})", chunk)
        conn.execute(_KREIS.format(where=f"WHERE substr(ags, 1, 5) IN ({marks})"), chunk)


def rebuild(conn: Conn) -> None:
    """Rebuild the whole summary from status_current (after a catalogue change or a bulk load)."""
    conn.execute("DELETE FROM status_summary")
    conn.execute(_INSERT + _grouped_template().format(where=""))
    conn.execute("DELETE FROM kreis_summary")
    conn.execute(_KREIS.format(where=""))
    signature = catalogue_signature(conn)
    conn.execute("DELETE FROM meta WHERE key = 'summary_catalogue'")
    conn.execute("INSERT INTO meta (key, value) VALUES ('summary_catalogue', ?)", [signature])
