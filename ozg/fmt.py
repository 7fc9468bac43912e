"""German number and date formats for pages and reports: 1.234 · 45,3 % · 31.12.2022 · 1.234.567 €."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _group(text: str) -> str:
    """Swap separators of an en-US formatted number: 1,234.5 -> 1.234,5."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number(value, decimals: int = 0, missing: str = "–") -> str:
    """1234.5 -> '1.234,5' (decimals=1)."""
    if _missing(value) or (isinstance(value, float) and math.isinf(value)):
        return missing
    return _group(f"{float(value):,.{decimals}f}")


def percent(share, decimals: int = 1, missing: str = "–") -> str:
    """0.453 -> '45,3 %'."""
    if _missing(share):
        return missing
    return f"{number(float(share) * 100, decimals)} %"


def euro(value, decimals: int = 0, missing: str = "–") -> str:
    """1234567 -> '1.234.567 €'."""
    if _missing(value):
        return missing
    return f"{number(value, decimals)} €"


def date(value, missing: str = "–") -> str:
    """date/datetime/Timestamp -> '31.12.2022'."""
    if _missing(value):
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def datetime(value, missing: str = "–") -> str:
    """-> '31.12.2022, 14:05'."""
    if _missing(value):
        return missing
    return value.strftime("%d.%m.%Y, %H:%M")


def yes_no(value, missing: str = "") -> str:
    if _missing(value):
        return missing
    return "ja" if bool(value) else "nein"


def signed(value, decimals: int = 0) -> str:
    """+3 / −2 / ±0 with a real minus sign, for 'change since last month'."""
    if _missing(value):
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


def count(value: int, singular: str, plural: str) -> str:
    """'1 Leistung', '2 Leistungen', '1.234 Leistungen'."""
    return f"{number(value)} {singular if value == 1 else plural}"


def leistungen(value: int) -> str:
    return count(value, "Leistung", "Leistungen")
