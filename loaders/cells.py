"""Cell value parsers for coordinator files: one function per kind of column, each returning a clean Python value.

Every parser takes the raw cell value as the source produced it (openpyxl value or CSV text) and either returns
the parsed value (None for a blank cell) or raises CellError whose message says, in German, what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from ozg.domain import REIFEGRAD_MODELS, STATUSES
from ozg.kommunen import fold

MAX_TEXT = 2000

DATE_EXPECTED = "erwartet TT.MM.JJJJ, JJJJ-MM-TT oder ein Excel-Datum"
LATEST_DATE = dt.date(2100, 12, 31)     # no date in these files lies further ahead
EARLIEST_STATUS_DATE = dt.date(2000, 1, 1)  # Online seit / Geplant bis: nothing went online before 2000
BOOL_EXPECTED = "erwartet ja/nein, x/leer, wahr/falsch, true/false oder 1/0"

# Spaces people paste from Word, web pages and Excel: non-breaking, narrow, figure space; and invisible ones.
_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_STRIP = " \t\r\n" + _SPACES + _INVISIBLE

# Excel error values in German and English (a cached formula error, or typed/exported as text).
EXCEL_ERRORS = frozenset(e.casefold() for e in (
    "#NV", "#N/A", "#DIV/0!", "#BEZUG!", "#REF!", "#WERT!", "#VALUE!", "#NAME?", "#ZAHL!", "#NUM!", "#NULL!",
    "#ÜBERLAUF!", "#SPILL!", "#KALK!", "#CALC!", "#FELD!", "#FIELD!", "#GETTING_DATA", "#DATEN_ABRUFEN",
    "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!",
))

_TRUE = frozenset({"ja", "x", "true", "wahr", "1", "j", "yes"})
_FALSE = frozenset({"nein", "false", "falsch", "0", "n", "no"})

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WHOLE = re.compile(r"[+-]?\d+(?:[.,]0+)?")
_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_OZG_ID = re.compile(r"\d{1,8}")
# A Reifegrad dropdown label such as "3 – Online-Leistung": a number followed by a dash and words.
_LEVEL_LABEL = re.compile(r"(\d+)\s*[–-]\s*\D.*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible direction marks and overrides (LRM/RLM, LRE…RLO, LRI…PDI): they make text read differently from what
# it says (e.g. a Link or a remark in the ministry CSV) and are rejected like control characters.
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class CellError(ValueError):
    """A cell value that cannot be read; the message is the German explanation for the user."""


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value (#NV, #DIV/0!, …) stored in a cell."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class UnsavedFormula:
    """A formula cell without a cached value (written by a program, never calculated by Excel)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def clean(text: str) -> str:
    """Text without surrounding spaces, including non-breaking and zero-width ones."""
    return unicodedata.normalize("NFC", text).strip(_STRIP)


def match_key(text: str) -> str:
    """Key for forgiving matches: case-insensitive, invisible characters gone, inner whitespace collapsed."""
    text = clean(text)
    for ch in _INVISIBLE:
        text = text.replace(ch, "")
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return " ".join(text.split()).casefold()


def header_key(text: str) -> str:
    """Key for header labels: like match_key, and also blind to Umlaut spelling, hyphens, underscores and spaces."""
    return re.sub(r"[\s\-_.]", "", fold(match_key(text)))


def header_label(raw: object) -> tuple[str, str]:
    """A header cell as (label as written, forgiving key) — the one way every reader names its columns."""
    label = clean(str(display(raw)))
    return label, header_key(label)


class DuplicateColumn(Exception):
    """A header label that stands twice; str() is the problem text."""

    def __init__(self, label: str, raw: object, first_index: int, second_index: int):
        super().__init__(f"Die Spalte „{label}“ steht doppelt (Spalten {get_column_letter(first_index + 1)} und "
                         f"{get_column_letter(second_index + 1)}) – erwartet jede Spalte höchstens einmal.")
        self.label, self.raw = label, raw


def map_header(header: list, fields_by_key: dict[str, str]) -> Iterator[tuple[int, str, object, str | None]]:
    """(index, label, raw cell, field or None if unknown) for each labelled header cell, the one way every table
    reader maps its columns; raises DuplicateColumn when a label (by its forgiving key) stands twice."""
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        if is_blank(raw):
            continue
        label, key = header_label(raw)
        if key in seen:
            raise DuplicateColumn(label, raw, seen[key], index)
        seen[key] = index
        yield index, label, raw, fields_by_key.get(key)


def unknown_column_message(label: str, expected: Iterable[str]) -> str:
    return f"Unbekannte Spalte „{label}“ wird ignoriert – erwartet sind: {', '.join(expected)}."


def display(value: object) -> str | None:
    """The raw cell value as text, as it goes into a Problem."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # Control characters are shown as visible symbols (␇ for BEL): a raw ESC from an upload must not reach a
    # terminal, and openpyxl refuses them in an error report.
    text = _BIDI.sub("\ufffd", _CONTROL.sub(_control_picture, str(value)))
    return text if len(text) <= 120 else text[:117] + "…"


def _control_picture(found: re.Match) -> str:
    code = ord(found.group())
    return chr(0x2400 + code) if code < 0x20 else "␡" if code == 0x7F else "\ufffd"


def is_blank(value: object) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and clean(value) == "")


def excel_error(value: object) -> str | None:
    """The error code if the value is an Excel error value (cached or typed as text), else None."""
    if isinstance(value, ExcelError):
        return value.code
    if isinstance(value, str) and clean(value).casefold() in EXCEL_ERRORS:
        return clean(value)
    return None


def check_text(value: str) -> str | None:
    """Stripped text, None if blank; rejects text over 2,000 characters and control characters."""
    text = clean(value)
    if len(text) > MAX_TEXT:
        raise CellError(f"Text mit {len(text):,} Zeichen ist zu lang – erwartet höchstens {MAX_TEXT:,} Zeichen."
                        .replace(",", "."))
    bad = _CONTROL.search(text)
    if bad:
        raise CellError(f"Text enthält das Steuerzeichen U+{ord(bad.group()):04X} – erwartet lesbaren Text "
                        "(erlaubt sind Tabulator und Zeilenumbruch).")
    bad = _BIDI.search(text)
    if bad:
        raise CellError(f"Text enthält das unsichtbare Schreibrichtungszeichen U+{ord(bad.group()):04X} – erwartet "
                        "Text ohne Richtungssteuerzeichen (sie lassen Text anders erscheinen, als er ist). Bitte "
                        "den Text neu eintippen statt ihn einzufügen.")
    return text or None


def parse_text(value: object) -> str | None:
    """Free text (Plattform, Bemerkung); numbers and dates are written out."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = display(value) or ""
    return check_text(value)


def parse_ozg_id(value: object) -> str:
    """OZG-ID as text; numbers such as 10001 or 10001.0 (also as text) become "10001"."""
    if isinstance(value, bool):
        raise CellError(f"„{display(value)}“ ist keine OZG-ID – erwartet eine Nummer aus dem OZG-Katalog.")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = clean(str(value))
        if _WHOLE.fullmatch(text) and not text.startswith(("+", "-")):
            text = re.split(r"[.,]", text)[0]
    if not _OZG_ID.fullmatch(text):
        raise CellError(f"„{display(value)}“ ist keine OZG-ID – erwartet eine Nummer aus dem OZG-Katalog, "
                        "z. B. 10001 (Summen- und Fußnotenzeilen bitte aus der Tabelle entfernen).")
    return text


def parse_model(value: object) -> str | None:
    """Reifegradmodell "1.1" or "2.0" (also written 1,1 or 2 or as a number)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        text = "?"
    elif isinstance(value, int | float):
        text = f"{float(value):.1f}" if round(float(value), 1) == float(value) else str(value)
    else:
        text = clean(str(value)).replace(",", ".")
        if text.isdigit():
            text += ".0"
    if text not in REIFEGRAD_MODELS:
        raise CellError(f"„{display(value)}“ ist kein bekanntes Reifegradmodell – erwartet "
                        f"{' oder '.join(REIFEGRAD_MODELS)}.")
    return text


def parse_reifegrad(value: object, model: str) -> int | None:
    """Reifegrad as a whole number within the range of its model (dropdown labels like "3 – …" allowed)."""
    if is_blank(value):
        return None
    top = REIFEGRAD_MODELS[model]
    expected = f"erwartet eine ganze Zahl von 0 bis {top} (Reifegradmodell {model})"
    level: int | None = None
    if isinstance(value, bool):
        level = None
    elif isinstance(value, int):
        level = value
    elif isinstance(value, float):
        level = int(value) if value.is_integer() else None
    else:
        text = clean(str(value))
        label = _LEVEL_LABEL.fullmatch(text)
        if label:
            level = int(label.group(1))
        elif _WHOLE.fullmatch(text):
            level = int(re.split(r"[.,]", text)[0])
        elif _DECIMAL.fullmatch(text):
            level = None
        else:
            raise CellError(f"„{display(value)}“ ist kein Reifegrad – {expected}.")
    if level is None:
        raise CellError(f"„{display(value)}“ ist keine ganze Zahl – {expected}.")
    if not 0 <= level <= top:
        raise CellError(f"Reifegrad {level} liegt außerhalb von Reifegradmodell {model} – erwartet eine ganze Zahl "
                        f"von 0 bis {top}.")
    return level


def parse_status(value: object) -> str | None:
    """Status phase in its canonical spelling, matched regardless of case and spaces."""
    if is_blank(value):
        return None
    known = {match_key(s): s for s in STATUSES}
    found = known.get(match_key(str(value))) if isinstance(value, str) else None
    if found is None:
        raise CellError(f"„{display(value)}“ ist kein Status – erwartet einen von: {', '.join(STATUSES)}.")
    return found


def parse_bool(value: object) -> bool | None:
    """Ja/Nein cell: ja/nein, x/leer, wahr/falsch, true/false, 1/0 (blank is None)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = match_key(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise CellError(f"„{display(value)}“ ist kein Ja/Nein-Wert – {BOOL_EXPECTED}.")


def parse_date(value: object, epoch: dt.datetime = CALENDAR_WINDOWS_1900, earliest: dt.date | None = None
               ) -> dt.date | None:
    """Date from a real Excel date, an Excel serial number, TT.MM.JJJJ or JJJJ-MM-TT (a time part is dropped).

    Refused: Excel's serial 60 (the 29.02.1900 that does not exist), days after LATEST_DATE and, with `earliest`,
    days before it — a typo in the year, not a date anyone means.
    """
    day = _date_value(value, epoch)
    if day is None:
        return None
    if day > LATEST_DATE:
        raise CellError(f"{day:%d.%m.%Y} liegt nach dem {LATEST_DATE:%d.%m.%Y} – bitte das Jahr prüfen; "
                        f"{DATE_EXPECTED}.")
    if earliest is not None and day < earliest:
        raise CellError(f"{day:%d.%m.%Y} liegt vor dem {earliest:%d.%m.%Y} – bitte das Jahr prüfen; "
                        f"{DATE_EXPECTED}.")
    return day


def _date_value(value: object, epoch: dt.datetime) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A plain number in a date column is an Excel serial (the cell lost its date format).
        if value == 60 and epoch == CALENDAR_WINDOWS_1900:
            raise CellError("„60“ ist als Excel-Datum der 29.02.1900, den es nicht gibt (ein alter Excel-Fehler) – "
                            f"{DATE_EXPECTED}.")
        if 1 <= value < 2958466:
            converted = from_excel(value, epoch)
            if isinstance(converted, dt.datetime):
                return converted.date()
        raise CellError(f"„{display(value)}“ ist kein Datum – {DATE_EXPECTED}.")
    if isinstance(value, str):
        text = clean(value)
        for pattern, order in ((_GERMAN_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
            found = pattern.match(text)
            if found and _TIME_SUFFIX.fullmatch(text[found.end():]):
                year, month, day = (int(found.group(i)) for i in order)
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    raise CellError(f"„{text}“ ist kein gültiges Datum (diesen Tag gibt es nicht) – "
                                    f"{DATE_EXPECTED}.") from None
    raise CellError(f"„{display(value)}“ ist kein Datum – {DATE_EXPECTED}.")


def parse_link(value: object) -> str | None:
    """Web link: an absolute http:// or https:// address without spaces."""
    text = parse_text(value)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise CellError(f"„{display(text)}“ ist kein Web-Link – erwartet eine Adresse, die mit http:// oder "
                        "https:// beginnt.")
    return text


def parse_kommune(value: object, index: dict[str, str]) -> str | None:
    """AGS of the Kommune named by name or AGS (looked up in the folded-name index)."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        key = str(int(value)).zfill(8)
    else:
        text = check_text(str(value)) or ""
        key = text.zfill(8) if text.isdigit() else fold(text)
    ags = index.get(key)
    if ags is None:
        raise CellError(f"„{display(value)}“ ist keine bekannte Kommune – erwartet Name oder AGS (8 Ziffern) "
                        "einer Kommune der Kooperation, z. B. „Marburg“ oder „06534014“.")
    return ags
