"""The clock seam: the only place that reads the real date or time.

Everything that needs "today" or "now" (pages, reports, sample data, checks such as "Online seit liegt in der
Zukunft") calls `today()`/`now()` here. `OZG_TODAY=YYYY-MM-DD` pins the day for demos and tests; the time of day
still runs, so timestamps stay ordered within a day.
"""

from __future__ import annotations

import datetime as dt

from ozg import config
from ozg.errors import OzgError


class InvalidClock(OzgError):
    """OZG_TODAY is set but is not a date."""


def _fixed() -> dt.date | None:
    text = config.fixed_today()
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidClock(f"Fehler: OZG_TODAY={text!r} ist kein Datum. Erwartet JJJJ-MM-TT, z. B. "
                           "OZG_TODAY=2026-11-27, oder die Variable entfernen.") from None


def today() -> dt.date:
    """Today's date (OZG_TODAY if set)."""
    return _fixed() or dt.date.today()  # noqa: DTZ011 - the seam itself


def now() -> dt.datetime:
    """The current local time to the second, on OZG_TODAY's date if set."""
    real = dt.datetime.now().replace(microsecond=0)  # noqa: DTZ005 - the seam itself
    day = _fixed()
    return real if day is None else dt.datetime.combine(day, real.time())
