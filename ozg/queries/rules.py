"""The counting rules, each written once: which Leistung counts as relevant, online, overdue or planned.

Every query that counts or lists by a rule builds its condition here, on both backends, so the tiles, the lists,
the progress series and the ministry reports cannot disagree:

  active    the Leistung is in the current catalogue (not retired)
  relevant  the Kommune has not marked it „nicht relevant“
  online    relevant and Reifegrad >= threshold (the counting rule, default 3 in model 1.1)
  pending   relevant and not online
  overdue   pending and „Geplant bis“ before the day
  planned   pending and „Geplant bis“ on or after the day — a Leistung due today is planned, not yet overdue

The threshold and the day are bound once per query as the one-row CTE `rule` (rule_cte / rule_params); the
fragments read `rule.threshold` and `rule.day`, so they carry no placeholders of their own and can be combined
freely. A query using them starts `WITH {RULE_CTE}, ...` and joins `CROSS JOIN rule`.

Queries put the fragments into their SQL when they are called, not when their module is imported: a rule changed
here then holds for every query at once, and the mutation run (`make mutation`) can judge the rules themselves —
a planted change in a fragment reaches the tests only through a query built after it.
"""

from __future__ import annotations

import datetime as dt

RULE_CTE = "rule AS (SELECT CAST(? AS INTEGER) AS threshold, CAST(? AS DATE) AS day)"


def rule_params(threshold: int, day: dt.date | None = None) -> list:
    """Parameters of RULE_CTE (the day may be None for queries that do not judge deadlines)."""
    return [int(threshold), day]


def active(leistung: str = "l") -> str:
    """The Leistung (alias of table leistung) is in the current catalogue."""
    return f"NOT {leistung}.retired"


def relevant(s: str = "s") -> str:
    """The state row `s` (status column) is relevant for its Kommune; true where nothing was reported."""
    return f"({s}.status IS DISTINCT FROM 'nicht relevant')"


def _reaches_threshold(s: str) -> str:
    return f"coalesce({s}.reifegrad >= rule.threshold, FALSE)"


def online(s: str = "s", is_relevant: str | None = None) -> str:
    """The counting rule. `is_relevant` replaces relevant(s) for sources without a status column (summaries)."""
    return f"({is_relevant or relevant(s)} AND {_reaches_threshold(s)})"


def pending(s: str = "s", is_relevant: str | None = None) -> str:
    """Relevant and not (yet) online."""
    return f"({is_relevant or relevant(s)} AND NOT {_reaches_threshold(s)})"


def overdue(s: str = "s", is_relevant: str | None = None) -> str:
    """Pending with its planned go-live before the day."""
    return f"({pending(s, is_relevant)} AND {s}.geplant_bis < rule.day)"


def planned(s: str = "s", is_relevant: str | None = None) -> str:
    """Pending with its planned go-live on or after the day (the day itself included)."""
    return f"({pending(s, is_relevant)} AND {s}.geplant_bis >= rule.day)"
