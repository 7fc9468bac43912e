"""Command line for cron jobs: python -m reports ministry --format xlsx|csv|pdf -o FILE [--as-of] [--cities].

Exit codes: 0 written; 2 usage error, unknown city, unusable database or unwritable file.
Errors are one readable German line each — never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ozg import fmt, migrations, pipes
from ozg.cli_support import EXIT_OK, EXIT_USAGE, GermanParser, past_day, unexpected
from ozg.db import Database
from ozg.errors import OzgError
from reports import FORMATS, export


def build_parser() -> argparse.ArgumentParser:
    parser = GermanParser(prog="python -m reports", description="OZG-Cockpit: Berichte erzeugen.")
    parser.add_argument("--db", help="Datenbank: Pfad einer DuckDB-Datei oder postgresql://… "
                                     "(sonst Umgebungsvariable OZG_DB, sonst data/ozg.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=GermanParser)
    p = sub.add_parser("ministry", help="Bericht an das Ministerium (XLSX, CSV oder PDF)")
    p.add_argument("--format", required=True, choices=sorted(FORMATS), help="xlsx, csv oder pdf")
    p.add_argument("-o", "--output", required=True, type=Path, help="Zieldatei")
    p.add_argument("--as-of", type=past_day,
                   help="Stand dieses Tages (TT.MM.JJJJ oder JJJJ-MM-TT) aus der Historie; sonst heute")
    p.add_argument("--cities", nargs="+", metavar="STADT", help="nur diese Kommunen (Name oder AGS)")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)  # --db is accepted after the command as well
    p = sub.add_parser("abgleich", help="Bund-Abgleich: wo Kommune und Bundes-Dashboard „online“ verschieden sehen")
    p.add_argument("--format", required=True, choices=["csv", "xlsx"], help="csv oder xlsx")
    p.add_argument("-o", "--output", required=True, type=Path, help="Zieldatei")
    p.add_argument("--as-of", type=past_day, help="Stand dieses Tages (Bundesdaten und Kommunen); sonst heute")
    p.add_argument("--cities", nargs="+", metavar="STADT", help="nur diese Kommunen (Name oder AGS)")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)
    p = sub.add_parser("verzeichnis", help="Online-Dienste-Verzeichnis für Bürgerinnen und Bürger (HTML, JSON)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--city", help="Kommune (Name oder AGS)")
    which.add_argument("--all", action="store_true", help="alle Städte der Kooperation, je ein Unterordner")
    p.add_argument("-o", "--output", required=True, type=Path, help="Zielordner")
    p.add_argument("--as-of", type=past_day, help="Stand dieses Tages (JJJJ-MM-TT oder TT.MM.JJJJ); sonst heute")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = Database(args.db_sub or args.db)
    try:
        code = COMMANDS[args.command](db, args)
        sys.stdout.flush()  # a reader that went away shows here, inside this handler
        return code
    except BrokenPipeError:
        return pipes.stdout_gone()
    except OzgError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"Fehler: {args.output} kann nicht geschrieben werden ({exc.strerror or exc}).", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 — last resort: one line for cron logs instead of a traceback
        return unexpected(exc)
    return EXIT_USAGE


def _cannot_start(db: Database, target: Path) -> bool:
    """Print why a report cannot be written (no database, no target folder); True then."""
    if db.kind == "duckdb" and not Path(db.url).is_file():  # connecting would silently create an empty file
        print(f"Fehler: Datenbank {db.url} nicht gefunden. Mit --db oder OZG_DB angeben oder "
              "`python -m loaders init` ausführen.", file=sys.stderr)
        return True
    if not target.parent.is_dir():
        print(f"Fehler: Verzeichnis {target.parent} gibt es nicht.", file=sys.stderr)
        return True
    migrations.require_current(db)
    return False


def cmd_ministry(db: Database, args) -> int:
    target: Path = args.output
    if _cannot_start(db, target):
        return EXIT_USAGE
    if args.command == "abgleich":
        from reports import abgleich

        content = abgleich.export(db, args.format, as_of=args.as_of, cities=args.cities)
    else:
        content = export(db, args.format, as_of=args.as_of, cities=args.cities)
    # Write next to the target and rename: a cron job never leaves a half-written report behind.
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(content)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    print(f"Bericht ({args.format}) geschrieben: {target} ({len(content):,} Bytes)".replace(",", "."))
    return EXIT_OK


def cmd_verzeichnis(db: Database, args) -> int:
    from reports import verzeichnis

    target: Path = args.output
    if _cannot_start(db, target):
        return EXIT_USAGE
    cities = verzeichnis.cooperation_cities(db) if args.all else [(args.city, None)]
    for city, name in cities:
        directory = verzeichnis.build(db, city, as_of=args.as_of)
        folder = target / verzeichnis.folder_name(name) if args.all else target
        verzeichnis.write(directory, folder)
        noun = "Leistung" if len(directory.entries) == 1 else "Leistungen"
        gap = f", {directory.unreachable} vorübergehend nicht erreichbar" if directory.unreachable else ""
        print(f"Verzeichnis {directory.name} (Stand {fmt.date(directory.stand)}): {len(directory.entries)} {noun}"
              f"{gap} → {folder}")
    return EXIT_OK


COMMANDS = {"ministry": cmd_ministry, "abgleich": cmd_ministry, "verzeichnis": cmd_verzeichnis}
