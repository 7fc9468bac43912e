"""The cost model of shared development ("built once, adapted per city" versus "every city builds alone").

Plain functions on frozen dataclasses, no database access: ozg/savings.py loads the inputs, pages and reports show
the results. Every formula is written in the docstring of the function that computes it.

Words and symbols used throughout (all amounts in €):
    n  number of participating cities of a project, THE LEAD CITY INCLUDED (n = 1: the lead city alone)
    B  initial development of the project's Leistungen (what the lead city spends; also what one city would spend
       building the same Leistungen alone — the model assumes a solo build costs as much as the shared one)
    A  adaptation per reusing city (connecting the shared solution to its portal, forms, processes)
    K  coordination overhead of the project (one-off; only incurred when there is at least one partner, n ≥ 2)
    O  yearly operation of one installation
    s  share of O that each additional city adds to the shared installation (hosting, support, licences)
    Y  number of years of operation looked at
Missing project figures are taken from the parameters: B = Leistungen × build cost per Leistung (by complexity),
A = adaptation share × B, K = coordination share × B, O = operation share × B.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

COMPLEXITIES = ("einfach", "mittel", "komplex")


@dataclass(frozen=True)
class Parameters:
    """The model's parameters (stored in cost_parameter with who set them and when)."""

    build_cost_simple: float = 30_000.0      # € to build one "einfach" Leistung alone
    build_cost_medium: float = 80_000.0      # € for "mittel"
    build_cost_complex: float = 200_000.0    # € for "komplex"
    adaptation_share: float = 0.15           # A / B per reusing city
    coordination_share: float = 0.10         # K / B per shared project
    operation_share: float = 0.20            # O / B per year
    operation_partner_share: float = 0.25    # s
    years: float = 5.0                       # Y
    minutes_saved_per_case: float = 15.0     # minutes of staff time a digital case saves
    hourly_cost: float = 60.0                # € per staff hour (salary and workplace)

    def build_cost(self, complexity: str | None) -> float:
        """Default cost of building one Leistung alone for the given complexity (unknown: mittel)."""
        return {"einfach": self.build_cost_simple, "komplex": self.build_cost_complex}.get(
            complexity or "mittel", self.build_cost_medium)


@dataclass(frozen=True)
class Project:
    """One shared project as the model needs it; cost figures None = take the default from the parameters."""

    project_id: str
    name: str
    lead_ags: str
    cities: tuple[str, ...]                  # participating cities; the lead is counted even if not listed
    leistungen: int                          # number of Leistungen in the project
    complexity: str | None = None
    development: float | None = None         # B
    adaptation_per_city: float | None = None  # A
    operation_per_year: float | None = None  # O
    coordination: float | None = None        # K
    go_live: tuple[tuple[str, dt.date | None], ...] = ()   # (ags, go-live date) per city

    @property
    def n(self) -> int:
        """Participating cities, the lead city included."""
        return len(set(self.cities) | {self.lead_ags})


@dataclass(frozen=True)
class Costs:
    """The four cost figures used for one project, and which of them came from defaults."""

    development: float
    adaptation: float
    coordination: float
    operation: float
    defaulted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    """Multipliers for a sensitivity run (1.0 = as stored)."""

    development: float = 1.0
    adaptation: float = 1.0
    coordination: float = 1.0
    operation: float = 1.0
    operation_partner_share: float = 1.0
    years: float = 1.0
    minutes_saved_per_case: float = 1.0
    hourly_cost: float = 1.0


@dataclass(frozen=True)
class ProjectSavings:
    """Alone versus shared for one project, development (one-off) and operation (over Y years)."""

    project_id: str
    name: str
    n: int
    costs: Costs
    years: float
    development_alone: float
    development_shared: float
    operation_alone: float
    operation_shared: float

    @property
    def development_savings(self) -> float:
        return self.development_alone - self.development_shared

    @property
    def operation_savings(self) -> float:
        return self.operation_alone - self.operation_shared

    @property
    def alone(self) -> float:
        return self.development_alone + self.operation_alone

    @property
    def shared(self) -> float:
        return self.development_shared + self.operation_shared

    @property
    def savings(self) -> float:
        return self.alone - self.shared


def resolve_costs(project: Project, params: Parameters, scale: Scale = Scale()) -> Costs:
    """Project figures where known, else defaults: B = Leistungen × build cost(complexity), A = share × B, ….

    The defaults hang off B, so a project with its own development figure but no other figures gets adaptation,
    coordination and operation in proportion to its own B.
    """
    defaulted = []
    development = project.development
    if development is None:
        development = max(project.leistungen, 1) * params.build_cost(project.complexity)
        defaulted.append("development")
    values = {}
    for name, figure, share in (("adaptation", project.adaptation_per_city, params.adaptation_share),
                                ("coordination", project.coordination, params.coordination_share),
                                ("operation", project.operation_per_year, params.operation_share)):
        if figure is None:
            defaulted.append(name)
            figure = share * development
        values[name] = figure
    return Costs(development * scale.development, values["adaptation"] * scale.adaptation,
                 values["coordination"] * scale.coordination, values["operation"] * scale.operation,
                 tuple(defaulted))


def development_alone(n: int, development: float) -> float:
    """Every one of the n cities (lead included) builds the Leistungen itself: n × B."""
    return n * development


def development_shared(n: int, development: float, adaptation: float, coordination: float) -> float:
    """Built once, adapted per reusing city: B + K + (n − 1) × A, with K = 0 when n = 1 (no partner, nothing to
    coordinate). The lead city pays no adaptation: its build already fits its own portal."""
    if n <= 1:
        return development
    return development + coordination + (n - 1) * adaptation


def development_savings(n: int, development: float, adaptation: float, coordination: float) -> float:
    """n × B − (B + K + (n − 1) × A) = (n − 1) × (B − A) − K for n ≥ 2; 0 for n = 1."""
    return development_alone(n, development) - development_shared(n, development, adaptation, coordination)


def operation_alone(n: int, operation: float, years: float) -> float:
    """Every city runs its own installation: n × O × Y."""
    return n * operation * years


def operation_shared(n: int, operation: float, partner_share: float, years: float) -> float:
    """One shared installation that grows with each partner: O × (1 + (n − 1) × s) × Y."""
    return operation * (1 + (max(n, 1) - 1) * partner_share) * years


def project_savings(project: Project, params: Parameters, years: float | None = None,
                    scale: Scale = Scale()) -> ProjectSavings:
    """Savings of one project over `years` (default: params.years):
    [n × B − (B + K + (n − 1) × A)] + [n × O × Y − O × (1 + (n − 1) × s) × Y]."""
    costs = resolve_costs(project, params, scale)
    y = (params.years if years is None else years) * scale.years
    s = params.operation_partner_share * scale.operation_partner_share
    n = project.n
    return ProjectSavings(
        project.project_id, project.name, n, costs, y,
        development_alone(n, costs.development),
        development_shared(n, costs.development, costs.adaptation, costs.coordination),
        operation_alone(n, costs.operation, y), operation_shared(n, costs.operation, s, y))


def city_shares(project: Project, params: Parameters, years: float | None = None) -> list[dict]:
    """Each participating city's alone and shared cost and their difference.

    Allocation rule (Annahme): the shared build B, the coordination K and the shared operation are split equally
    among the n cities; each reusing city pays its own adaptation A. Alone, every city pays B + O × Y.
    City savings = (B + O × Y) − ((B + K) / n + A [not for the lead] + O × (1 + (n − 1) × s) × Y / n).
    The city savings add up exactly to the project's savings.
    """
    result = project_savings(project, params, years)
    c, n = result.costs, result.n
    shared_operation = result.operation_shared / n
    build_share = (c.development + (c.coordination if n > 1 else 0.0)) / n
    rows = []
    for ags in sorted(set(project.cities) | {project.lead_ags}):
        alone = c.development + c.operation * result.years
        shared = build_share + (0.0 if ags == project.lead_ags or n == 1 else c.adaptation) + shared_operation
        rows.append({"project_id": project.project_id, "ags": ags, "is_lead": ags == project.lead_ags,
                     "alone": alone, "shared": shared, "savings": alone - shared})
    return rows


def total(results: list[ProjectSavings]) -> dict[str, float]:
    """Sums over projects: alone, shared, savings, and savings split into development and operation."""
    return {
        "alone": sum(r.alone for r in results),
        "shared": sum(r.shared for r in results),
        "development_savings": sum(r.development_savings for r in results),
        "operation_savings": sum(r.operation_savings for r in results),
        "savings": sum(r.savings for r in results),
    }


def case_savings(digital_cases: float, minutes_saved_per_case: float, hourly_cost: float) -> float:
    """Staff time saved by digital cases: cases × minutes saved per case ÷ 60 × hourly cost."""
    return digital_cases * minutes_saved_per_case / 60.0 * hourly_cost


def overall(projects: list[Project], params: Parameters, digital_cases_per_year: float,
            scale: Scale = Scale()) -> float:
    """Total benefit over Y years: sum of project savings + case savings of digital_cases_per_year × Y."""
    sharing = sum(project_savings(p, params, scale=scale).savings for p in projects)
    years = params.years * scale.years
    per_year = case_savings(digital_cases_per_year, params.minutes_saved_per_case * scale.minutes_saved_per_case,
                            params.hourly_cost * scale.hourly_cost)
    return sharing + per_year * years


# Labels of the sensitivity rows (German: they go into the tornado chart).
SENSITIVITY_LABELS: dict[str, str] = {
    "development": "Entwicklungskosten (B)",
    "adaptation": "Anpassung je Kommune (A)",
    "coordination": "Koordinationsaufwand (K)",
    "operation": "Betriebskosten pro Jahr (O)",
    "operation_partner_share": "Betriebszuschlag je Partner (s)",
    "years": "Betrachtungszeitraum (Y)",
    "minutes_saved_per_case": "Minuten gespart je digitalem Fall",
    "hourly_cost": "Stundensatz",
}


def sensitivity(projects: list[Project], params: Parameters, digital_cases_per_year: float = 0.0,
                change: float = 0.5) -> pd.DataFrame:
    """Tornado table: the overall result when each input alone is lowered/raised by `change` (default ±50 %).

    Columns: parameter, label, base, low (input × (1 − change)), high (input × (1 + change)), swing = |high − low|;
    rows sorted by swing, largest first (the top bar of a tornado chart).
    """
    base = overall(projects, params, digital_cases_per_year)
    rows = []
    for name, label in SENSITIVITY_LABELS.items():
        low = overall(projects, params, digital_cases_per_year, dataclasses.replace(Scale(), **{name: 1 - change}))
        high = overall(projects, params, digital_cases_per_year, dataclasses.replace(Scale(), **{name: 1 + change}))
        rows.append({"parameter": name, "label": label, "base": base, "low": low, "high": high,
                     "swing": abs(high - low)})
    frame = pd.DataFrame(rows, columns=["parameter", "label", "base", "low", "high", "swing"])
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def timeline(projects: list[Project], params: Parameters, until: dt.date,
             digital_cases: dict[dt.date, float] | None = None) -> pd.DataFrame:
    """Savings realised month by month up to `until`, cumulative.

    A reusing city realises its development saving (B − A − K / (n − 1)) in the month it goes live and saves
    O × (1 − s) / 12 in operation every month from then on; digital cases save their staff time in their month.
    Cities without a go-live date have realised nothing yet. Columns: month, development, operation, cases, total,
    cumulative.
    """
    events: dict[dt.date, dict[str, float]] = {}
    digital_cases = digital_cases or {}
    starts = [d for p in projects for a, d in p.go_live if d and a != p.lead_ags and p.n > 1 and d <= until]
    starts += [m for m in digital_cases if m <= until]
    if not starts:
        return pd.DataFrame(columns=["month", "development", "operation", "cases", "total", "cumulative"])
    months = _months(min(starts), until)
    for month in months:
        events[month] = {"development": 0.0, "operation": 0.0, "cases": 0.0}
    for project in projects:
        n = project.n
        if n <= 1:
            continue
        c = resolve_costs(project, params)
        monthly = c.operation * (1 - params.operation_partner_share) / 12
        for ags, live in project.go_live:
            if ags == project.lead_ags or live is None or live > until:
                continue
            events[live.replace(day=1)]["development"] += c.development - c.adaptation - c.coordination / (n - 1)
            for month in months:
                if month > live.replace(day=1):
                    events[month]["operation"] += monthly
    for month, cases in digital_cases.items():
        if month.replace(day=1) in events:
            events[month.replace(day=1)]["cases"] += case_savings(cases, params.minutes_saved_per_case,
                                                                   params.hourly_cost)
    frame = pd.DataFrame([{"month": m, **v} for m, v in sorted(events.items())])
    frame["total"] = frame["development"] + frame["operation"] + frame["cases"]
    frame["cumulative"] = frame["total"].cumsum()
    return frame
