"""The ministry report as data: typed DataFrames with German headers, assembled from ozg.queries (no SQL here).

Every writer (xlsx, csv, pdf) renders the same MinistryReport, so the three formats cannot disagree.
Values stay typed (int, date, bool); each Table names the kind of every column so a writer can pick a real
number or date format. Text is neutralised against formula injection by the writers (reports/safe.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ozg import clock, kommunen, queries
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, counting_rule_text
from ozg.errors import NotFound

# Column kinds a writer knows how to format.
TEXT, INT, PERCENT, EURO, DECIMAL, DATE, DATETIME, BOOL = (
    "text", "int", "percent", "euro", "decimal", "date", "datetime", "bool")


@dataclass(frozen=True)
class Table:
    """One table of the report: German headers, typed values, and the kind of each column."""

    title: str
    frame: pd.DataFrame
    kinds: dict[str, str]

    def kind(self, column: str) -> str:
        return self.kinds.get(column, TEXT)


@dataclass(frozen=True)
class MinistryReport:
    cooperation: str
    as_of: dt.date | None           # None: the current state
    day: dt.date                    # the day the report describes (as_of or today)
    generated_at: dt.datetime
    threshold: int
    counting_rule: str
    sample: bool                    # the database holds invented sample data
    coverage: pd.DataFrame          # raw ozg.queries.coverage rows of the selected Kommunen
    total: dict                     # ozg.queries.coverage_total of those rows
    summary: Table                  # KPIs per Kommune + total row, with data freshness
    status: Table                   # one row per Kommune × active Leistung (DESIGN.md columns first)
    deadlines: Table                # overdue and planned
    progress: Table                 # Leistungen online per Kommune at each month end
    reifegrad: pd.DataFrame         # raw ozg.queries.reifegrad_distribution rows (for charts)
    savings: Table | None = None             # Einsparungen je Projekt as of `day` (see savings_tables)
    savings_parameters: Table | None = None  # the cost model's parameters as of `day` (who set them, when, source)
    savings_total: Table | None = None       # the headline savings figure with its parts, and its realised variant
    abgleich: object | None = None           # reports.abgleich.Abgleich when federal data exists (Bund-Abgleich)

    @property
    def kommunen(self) -> list[str]:
        return list(self.coverage["name"])


# The ministry CSV / Status sheet: DESIGN.md fixes the first 13 columns and their order; more may follow.
STATUS_COLUMNS: dict[str, tuple[str, str]] = {  # German header -> (status_table column, kind)
    "AGS": ("ags", TEXT),
    "Kommune": ("kommune", TEXT),
    "OZG-ID": ("ozg_id", TEXT),
    "Leistung": ("leistung", TEXT),
    "Themenfeld": ("themenfeld", TEXT),
    "Reifegrad": ("reifegrad", INT),
    "Reifegradmodell": ("reifegrad_model", TEXT),
    "Status": ("status", TEXT),
    "Geplant bis": ("geplant_bis", DATE),
    "Online seit": ("online_seit", DATE),
    "Ende-zu-Ende": ("ende_zu_ende", BOOL),
    "Bescheid digital": ("bescheid_digital", BOOL),
    "Federführung": ("federfuehrung_name", TEXT),
    "Federführung (AGS)": ("federfuehrung", TEXT),
    "Plattform": ("plattform", TEXT),
    "Link": ("link", TEXT),
    "Bemerkung": ("bemerkung", TEXT),
    "Letzte Änderung": ("changed_at", DATETIME),
}
DESIGN_CSV_HEADER: tuple[str, ...] = tuple(list(STATUS_COLUMNS)[:13])


def resolve_cities(db: Database, cities: list[str] | None, group: str) -> list[str]:
    """AGS of the asked-for cities (names or AGS), all members of the cooperation when none are given."""
    members = queries.kommunen(db, group=group)
    if not cities:
        return list(members["ags"])
    with db.connect() as conn:
        wanted = [kommunen.resolve(conn, city) for city in cities]
    for kommune in wanted:
        if kommune.ags not in set(members["ags"]):
            raise NotFound(f"{kommune.name} ({kommune.ags}) gehört nicht zur Kooperation „{group}“.")
    return list(dict.fromkeys(k.ags for k in wanted))


def build_report(db: Database, as_of: dt.date | None = None, cities: list[str] | None = None,
                 threshold: int = DEFAULT_ONLINE_THRESHOLD) -> MinistryReport:
    """Assemble the ministry report for the state at the end of `as_of` (None: now) and the given cities."""
    group = kommunen.cooperation_name()
    ags = resolve_cities(db, cities, group)
    day = as_of or clock.today()
    coverage = _only(queries.coverage(db, as_of=as_of, group=group, threshold=threshold), ags)
    fresh = _only(queries.last_reports(db, as_of=as_of, group=group), ags)
    savings = savings_tables(db, as_of, ags)
    return MinistryReport(
        cooperation=group, as_of=as_of, day=day, generated_at=clock.now(),
        threshold=threshold, counting_rule=counting_rule_text(threshold), sample=queries.is_sample(db),
        coverage=coverage, total=queries.coverage_total(coverage),
        summary=_summary(coverage, fresh),
        status=_status(queries.status_table(db, as_of=as_of, group=group, ags=ags)),
        deadlines=_deadlines(_only(queries.overdue(db, as_of=as_of, group=group, threshold=threshold), ags),
                             _only(queries.planned(db, as_of=as_of, group=group, threshold=threshold), ags)),
        progress=_progress(db, day, group, ags, threshold),
        reifegrad=_only(queries.reifegrad_distribution(db, as_of=as_of, group=group), ags),
        savings=savings[0] if savings else None,
        savings_parameters=savings[1] if savings else None,
        savings_total=savings[2] if savings else None,
        abgleich=_abgleich(db, as_of, ags, threshold),
    )


def _abgleich(db: Database, as_of: dt.date | None, ags: list[str], threshold: int):
    from reports.abgleich import build_abgleich  # reports.abgleich builds on this module's Table

    return build_abgleich(db, as_of=as_of, cities=ags, threshold=threshold, required=False)


def savings_tables(db: Database, as_of: dt.date | None,
                   ags: list[str]) -> tuple[Table, Table, Table] | None:
    """(Einsparungen je Projekt, Kostenparameter, Einsparungen gesamt) as they stood at the end of `as_of` (None:
    now), from ozg.savings_text; None when there were no shared projects then.

    Projects, cost figures and parameters come from their history, Fallzahlen and go-lives count up to that day
    (ozg/savings_asof.py). The savings cover the cooperation's shared projects as a whole, whichever cities the
    report selects.
    """
    from ozg import savings_text

    tables = savings_text.savings_tables(db, as_of)
    projects = tables["Einsparungen je Projekt"]
    if projects.empty:
        return None

    def kinds(frame: pd.DataFrame) -> dict[str, str]:
        result = {c: EURO for c in frame.columns if c.endswith("(€)")}
        result.update({c: INT for c in frame.columns if c in ("Kommunen (n)", "Leistungen")})
        result.update({c: DATETIME for c in frame.columns if c in ("gesetzt am",)})
        result.update({c: DECIMAL for c in frame.columns if c in ("Wert",)})
        return result

    params, total = tables["Kostenparameter"], tables["Einsparungen gesamt"]
    return (Table("Einsparungen je Projekt", projects.reset_index(drop=True), kinds(projects)),
            Table("Kostenparameter", params, kinds(params)),
            Table("Einsparungen gesamt", total, kinds(total)))


def _only(frame: pd.DataFrame, ags: list[str]) -> pd.DataFrame:
    return frame[frame["ags"].isin(ags)].reset_index(drop=True)


def _summary(coverage: pd.DataFrame, fresh: pd.DataFrame) -> Table:
    last = dict(zip(fresh["ags"], fresh["last_report"], strict=True))
    frame = pd.DataFrame({
        "Kommune": coverage["name"], "AGS": coverage["ags"], "Einwohner": coverage["population"],
        "Leistungen im Katalog": coverage["catalogue"], "davon relevant": coverage["relevant"],
        "online": coverage["online"], "Anteil online": coverage["share"],
        "Ende-zu-Ende": coverage["ende_zu_ende"], "Bescheid digital": coverage["bescheid_digital"],
        "überfällig": coverage["overdue"], "federführend": coverage["federfuehrung"],
        "Letzte Meldung": coverage["ags"].map(last),
    }).astype(object)
    total = queries.coverage_total(coverage)
    frame.loc[len(frame)] = {
        "Kommune": "Kooperation gesamt", "AGS": None, "Einwohner": int(coverage["population"].fillna(0).sum()),
        "Leistungen im Katalog": int(coverage["catalogue"].max()) if len(coverage) else 0,
        "davon relevant": total["relevant"], "online": total["online"], "Anteil online": total["share"],
        "Ende-zu-Ende": total["ende_zu_ende"], "Bescheid digital": int(coverage["bescheid_digital"].sum()),
        "überfällig": total["overdue"], "federführend": int(coverage["federfuehrung"].sum()),
        "Letzte Meldung": None,
    }
    kinds = {c: INT for c in frame.columns} | {"Kommune": TEXT, "AGS": TEXT, "Anteil online": PERCENT,
                                                 "Letzte Meldung": DATETIME}
    return Table("Kennzahlen je Kommune", frame, kinds)


def _status(rows: pd.DataFrame) -> Table:
    frame = pd.DataFrame({header: rows[col] for header, (col, _) in STATUS_COLUMNS.items()})
    return Table("Status", frame, {header: kind for header, (_, kind) in STATUS_COLUMNS.items()})


def _deadlines(late: pd.DataFrame, planned: pd.DataFrame) -> Table:
    def part(frame: pd.DataFrame, label: str) -> pd.DataFrame:
        return pd.DataFrame({
            "Art": label, "AGS": frame["ags"], "Kommune": frame["kommune"], "OZG-ID": frame["ozg_id"],
            "Leistung": frame["leistung"], "Themenfeld": frame["themenfeld"], "Reifegrad": frame["reifegrad"],
            "Status": frame["status"], "Geplant bis": frame["geplant_bis"],
            "Tage überfällig": frame["days_late"] if "days_late" in frame else None,
        })
    frame = pd.concat([part(late, "überfällig"), part(planned, "geplant")], ignore_index=True)
    kinds = {"Reifegrad": INT, "Geplant bis": DATE, "Tage überfällig": INT}
    return Table("Fristen", frame.astype(object), kinds)


def _progress(db: Database, day: dt.date, group: str, ags: list[str], threshold: int) -> Table:
    first, _ = queries.history_span(db)
    days = queries.month_ends(first, day) if first and first <= day else [day]
    rows = _only(queries.progress(db, days, group=group, threshold=threshold), ags)
    frame = pd.DataFrame({"Stichtag": rows["day"], "AGS": rows["ags"], "Kommune": rows["name"],
                          "online": rows["online"], "Ende-zu-Ende": rows["ende_zu_ende"]})
    return Table("Verlauf", frame, {"Stichtag": DATE, "online": INT, "Ende-zu-Ende": INT})
