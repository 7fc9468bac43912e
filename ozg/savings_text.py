"""The savings in German words and tables: the headline's definition, the formula, the tables reports show.

One headline: the savings planned over the period of Y years = development + operation + time saved by digital
cases. Its variant: what of it was realised by the Stand date. Everything else (per project, per city, the
sensitivity) is a part of the headline or centred on it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import costmodel, fmt
from ozg.db import Database
from ozg.savings import SavingsResult, compute, load_frames


def years_text(params: costmodel.Parameters) -> str:
    return f"{params.years:g}".replace(".", ",")


def headline_label(result: SavingsResult) -> str:
    return f"Geplante Einsparung über {years_text(result.params)} Jahre"


def realised_label(result: SavingsResult) -> str:
    return f"davon bis {fmt.date(result.day)} realisiert"


def headline_definition(result: SavingsResult) -> str:
    """What the headline is and how its parts add up, with the figures."""
    p, y = result.planned, years_text(result.params)
    return (f"{headline_label(result)} = Entwicklung (einmalig) {fmt.euro(p.development)} + Betrieb über {y} "
            f"Jahre {fmt.euro(p.operation)} + Zeitersparnis digitaler Fälle über {y} Jahre {fmt.euro(p.cases)} "
            f"= {fmt.euro(p.total)}. Grundlage: Gemeinschaftsprojekte, Kosten und Parameter mit Stand "
            f"{fmt.date(result.day)}; Fälle: digitale Fälle der letzten 12 Monate mit Daten × {y} Jahre.")


def realised_definition(result: SavingsResult) -> str:
    r = result.realised
    return (f"Bis {fmt.date(result.day)} realisiert = Entwicklung der live gegangenen nachnutzenden Kommunen "
            f"{fmt.euro(r.development)} + Betrieb seit ihrem Go-live {fmt.euro(r.operation)} + Zeitersparnis der "
            f"digitalen Fälle bis dahin {fmt.euro(r.cases)} = {fmt.euro(r.total)}. Go-lives nach dem Stand zählen "
            "nicht.")


def formula_text(params: costmodel.Parameters) -> str:
    """The cost model in words, for under the charts and in reports."""
    return (
        "Einsparung eines Gemeinschaftsprojekts = was die n beteiligten Kommunen (die federführende mitgezählt) "
        "allein ausgegeben hätten − was die gemeinsame Entwicklung kostet. Allein: n × Entwicklungskosten B plus "
        f"n × Betriebskosten O über {years_text(params)} Jahre. Gemeinsam: B einmal + Koordinationsaufwand K + "
        "(n − 1) × Anpassung A je nachnutzender Kommune, dazu eine Installation im Betrieb, die je Partnerkommune um "
        f"den Anteil s = {params.operation_partner_share:.0%} teurer wird. Fehlen einem Projekt eigene Zahlen, gelten "
        f"die Kostenparameter (A = {params.adaptation_share:.0%} von B, K = {params.coordination_share:.0%} von B, "
        f"O = {params.operation_share:.0%} von B pro Jahr). Zeitersparnis digitaler Fälle = digitale Fälle der "
        f"letzten 12 Monate × {params.minutes_saved_per_case:g} Minuten ÷ 60 × {params.hourly_cost:g} € je Stunde "
        "× Jahre. Alle Werte ohne Quelle sind Annahmen und lassen sich ändern."
    ).replace("%", " %")


def headline_table(result: SavingsResult) -> pd.DataFrame:
    """The headline, its parts, and its realised variant with its parts (Kennzahl, Wert in €)."""
    p, r, y = result.planned, result.realised, years_text(result.params)
    return pd.DataFrame([
        (f"{headline_label(result)} (Summe der drei Teile)", p.total),
        ("  davon Entwicklung (einmalig)", p.development),
        (f"  davon Betrieb, {y} Jahre", p.operation),
        (f"  davon Zeitersparnis digitale Fälle, {y} Jahre", p.cases),
        (f"Variante: bis {fmt.date(result.day)} realisiert (Summe der drei Teile)", r.total),
        ("  davon Entwicklung (Go-live nachnutzender Kommunen)", r.development),
        ("  davon Betrieb seit Go-live", r.operation),
        ("  davon Zeitersparnis digitale Fälle", r.cases),
    ], columns=["Kennzahl", "Wert (€)"])


def savings_tables(db: Database, as_of: dt.date | None = None,
                   years: float | None = None) -> dict[str, pd.DataFrame]:
    """German-labelled tables for reports, now or as of the end of a day: Einsparungen gesamt (headline with
    parts), je Projekt, je Kommune, Kostenparameter."""
    return tables(compute(load_frames(db, as_of), years, as_of))


def tables(result: SavingsResult) -> dict[str, pd.DataFrame]:
    y = years_text(result.params)
    projects_ = result.per_project.rename(columns={
        "project_id": "Projekt-ID", "name": "Projekt", "lead": "Federführung", "n": "Kommunen (n)",
        "leistungen": "Leistungen", "development": "Entwicklung B (€)", "adaptation": "Anpassung A (€)",
        "coordination": "Koordination K (€)", "operation": "Betrieb O pro Jahr (€)", "alone": "Allein (€)",
        "shared": "Gemeinsam (€)", "savings": "Einsparung (€)", "defaults_used": "Standardwerte genutzt für"})
    projects_ = projects_.drop(columns=["development_alone", "development_shared", "operation_alone",
                                        "operation_shared"])
    cities = result.per_city.rename(columns={
        "ags": "AGS", "kommune": "Kommune", "projects": "Projekte", "lead_of": "davon federführend",
        "alone": "Allein (€)", "shared": "Gemeinsam (€)", "savings": "Einsparung gemeinsame Entwicklung (€)",
        "case_savings": f"Zeitersparnis digitale Fälle, {y} Jahre (€)"})
    params = result.parameters.rename(columns={
        "name": "Parameter", "label": "Bedeutung", "value": "Wert", "unit": "Einheit", "source": "Quelle",
        "set_by": "gesetzt von", "set_at": "gesetzt am", "note": "Hinweis"})
    return {"Einsparungen gesamt": headline_table(result), "Einsparungen je Projekt": projects_,
            "Einsparungen je Kommune": cities, "Kostenparameter": params}
