"""German number and date formats for pages and reports: 1.234 · 45,3 % · 31.12.2022 · 1.234.567 €."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def missing(value) -> bool:
    """None, NaN, NaT or pd.NA: a value that is not there (the one definition pages, reports and loaders use)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_absent = missing  # the functions below take a `missing=` text argument that shadows the name


def _group(text: str) -> str:
    """Swap separators of an en-US formatted number: 1,234.5 -> 1.234,5."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number(value, decimals: int = 0, missing: str = "–") -> str:
    """1234.5 -> '1.234,5' (decimals=1)."""
    if _absent(value) or (isinstance(value, float) and math.isinf(value)):
        return missing
    return _group(f"{float(value):,.{decimals}f}")


def percent(share, decimals: int = 1, missing: str = "–") -> str:
    """0.453 -> '45,3 %'."""
    if _absent(share):
        return missing
    return f"{number(float(share) * 100, decimals)} %"


def euro(value, decimals: int = 0, missing: str = "–") -> str:
    """1234567 -> '1.234.567 €'."""
    if _absent(value):
        return missing
    return f"{number(value, decimals)} €"


def date(value, missing: str = "–") -> str:
    """date/datetime/Timestamp -> '31.12.2022'."""
    if _absent(value):
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def datetime(value, missing: str = "–") -> str:
    """-> '31.12.2022, 14:05'."""
    if _absent(value):
        return missing
    return value.strftime("%d.%m.%Y, %H:%M")


def yes_no(value, missing: str = "") -> str:
    if _absent(value):
        return missing
    return "ja" if bool(value) else "nein"


def signed(value, decimals: int = 0) -> str:
    """+3 / −2 / ±0 with a real minus sign, for 'change since last month'."""
    if _absent(value):
        return "–"
    if value > 0:
        return f"+{number(value, decimals)}"
    if value < 0:
        return f"−{number(-value, decimals)}"
    return "±0"


def parse_date(text: str) -> dt.date:
    """A date typed by a person: '31.12.2022' (TT.MM.JJJJ) or '2022-12-31' (JJJJ-MM-TT); ValueError in German."""
    cleaned = (text or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"„{text}“ ist kein Datum – erwartet TT.MM.JJJJ oder JJJJ-MM-TT, z. B. 31.12.2025.")


def counted(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: (1, 'Leistung', 'Leistungen') -> '1 Leistung'; 1234 -> '1.234 …'."""
    return f"{number(count)} {singular if count == 1 else plural}"


DATE_FIELDS = ("geplant_bis", "online_seit")


def status_value(field: str, value, names: dict[str, str] | None = None) -> str:
    """A status field's value as people read it: dates TT.MM.JJJJ, ja/nein, Federführung by name, blank as –.

    Takes the typed value (date, bool) as well as its stored text in status_change (ISO date, „ja“/„nein“).
    """
    if _absent(value):
        return "–"
    if field in DATE_FIELDS:
        return date(value)
    if isinstance(value, bool):
        return yes_no(value)
    if field == "federfuehrung" and names:
        return names.get(value, value)
    return str(value)


def leistungen(value: int) -> str:
    """'1 Leistung', '2 Leistungen', '1.234 Leistungen'."""
    return counted(value, "Leistung", "Leistungen")
