"""What both command lines (python -m loaders, python -m reports) share: German usage errors with exit code 2,
dates typed as TT.MM.JJJJ or JJJJ-MM-TT, and the one line a cron log gets instead of a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ozg import clock, fmt

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class GermanParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit 2 with English text; keep 2, say it in German too
        self.print_usage(sys.stderr)
        print(f"Fehler: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def day(text: str) -> dt.date:
    """argparse type: a date as TT.MM.JJJJ or JJJJ-MM-TT."""
    try:
        return fmt.parse_date(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def past_day(text: str) -> dt.date:
    """argparse type: a date as `day`, not after today (a Stichtag)."""
    value = day(text)
    if value > clock.today():
        raise argparse.ArgumentTypeError(f"Stichtag {fmt.date(value)} liegt in der Zukunft.")
    return value


def unexpected(exc: Exception) -> int:
    """The last resort of a command: one line for the cron log, exit 2."""
    print(f"Fehler: unerwarteter Fehler ({type(exc).__name__}: {exc}). Bitte dem Betrieb melden.", file=sys.stderr)
    return EXIT_USAGE
