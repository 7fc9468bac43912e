"""Every read query of the project, defined once; pages and reports call these and never write SQL.

All functions take a Database and return pandas DataFrames with snake_case columns. `as_of` (a date) reads the
state at the end of that day from the append-only history; None reads the current state.
The counting rule: a Leistung is online when its Reifegrad >= `threshold` (default 3, model 1.1).
Denominator of shares: active catalogue Leistungen minus those a Kommune marked "nicht relevant".

One module per concept; `from ozg import queries; queries.coverage(db)` reaches every public name:
  state      the state now / at the end of a day (state_sql, members_sql), status table, matrix, one Leistung
  counting   coverage and its counting rules, Reifegrad distribution, month-on-month change, reuse
  schedule   overdue, planned, fixed deadlines, forecast
  history    progress over time, imports and their changes, last report per Kommune, month helpers
  regions    Land → Kreis → Gemeinde drill-down and national KPIs
  catalogue  Leistung catalogue, Kommunen, groups, meta flags
New read SQL goes into the module of its concept (or a new module here) and is re-exported below.
"""

from ozg.queries.catalogue import groups, is_sample, kommunen, leistung_info, leistungen, matrix_options, meta
from ozg.queries.counting import coverage, coverage_change, coverage_total, reifegrad_distribution, reuse_opportunities
from ozg.queries.history import (
    batch_changes,
    batch_ref,
    batches,
    history_span,
    last_reports,
    leistung_history,
    month_before,
    month_ends,
    months_before,
    progress,
)
from ozg.queries.regions import REGION_LEVELS, coverage_by_region, overview_kpis, region_children
from ozg.queries.schedule import deadlines, forecast, overdue, planned
from ozg.queries.state import (
    coverage_matrix,
    leistung_status,
    members_sql,
    online_status_table,
    state_sql,
    status_table,
)

__all__ = [
    "REGION_LEVELS", "batch_changes", "batch_ref", "batches", "coverage", "coverage_by_region", "coverage_change",
    "coverage_matrix", "coverage_total", "deadlines", "forecast", "groups", "history_span", "is_sample", "kommunen",
    "last_reports", "leistung_history", "leistung_info", "leistung_status", "leistungen",
    "matrix_options", "members_sql", "meta", "month_before", "month_ends", "months_before", "overdue", "overview_kpis",
    "planned",
    "online_status_table", "progress", "region_children", "reifegrad_distribution", "reuse_opportunities",
    "state_sql", "status_table",
]
