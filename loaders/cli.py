"""Command line for cron jobs and scripts (DESIGN.md): python -m loaders init|catalogue|template|status|history|revert.

Exit codes: 0 done; 1 file rejected (one line per problem); 2 usage error, unreadable file or unusable database.
Errors are one readable German line each — never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from loaders import catalogue_file, importer, template
from loaders.file_kind import UNREADABLE
from loaders.problems import NO_CITY, FileRejected
from ozg import auth, catalogue, fmt, labels, migrations, pipes, queries, status
from ozg.bootstrap import init_database, sha256_file
from ozg.cli_support import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, GermanParser, day, unexpected
from ozg.db import Database
from ozg.domain import FIELD_LABELS
from ozg.errors import OzgError

USAGE_CODES = frozenset({UNREADABLE, NO_CITY})  # Problem.code values that make a usage error (exit 2)


def build_parser() -> argparse.ArgumentParser:
    parser = GermanParser(prog="python -m loaders", description="OZG-Cockpit: Daten laden und verwalten.")
    parser.add_argument("--db", help="Datenbank: Pfad einer DuckDB-Datei oder postgresql://… "
                                     "(sonst Umgebungsvariable OZG_DB, sonst data/ozg.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=GermanParser)
    p = sub.add_parser("init", help="Datenbank anlegen/aktualisieren, Katalog und Kommunen laden")
    p.add_argument("--sample", action="store_true", help="erfundene Beispieldaten laden (nur in eine leere Datenbank)")
    p = sub.add_parser("catalogue", help="OZG-Katalog (CSV) importieren oder aktualisieren")
    p.add_argument("file", type=Path)
    p.add_argument("--user", default=None)
    p = sub.add_parser("template", help="Meldevorlage (.xlsx) für eine Kommune erzeugen")
    p.add_argument("--city", required=True, help="AGS oder Name, z. B. Gießen")
    p.add_argument("-o", "--output", required=True, type=Path)
    p = sub.add_parser("status", help="Statusdatei (.xlsx/.csv) prüfen und importieren")
    p.add_argument("file", type=Path)
    p.add_argument("--city", help="AGS oder Name (sonst die Kommune aus dem Blatt „Info“ der Vorlage)")
    p.add_argument("--user", default=None)
    p.add_argument("--dry-run", action="store_true", help="nur prüfen und Änderungen zeigen, nichts speichern")
    p = sub.add_parser("usage", help="Fallzahlen (.xlsx/.csv) prüfen und importieren")
    p.add_argument("file", type=Path)
    p.add_argument("--city", help="AGS oder Name, wenn die Datei keine Spalte „Kommune“ hat")
    p.add_argument("--user", default=None)
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    p = sub.add_parser("projects", help="Gemeinschaftsprojekte (.xlsx/.csv) prüfen und importieren")
    p.add_argument("file", type=Path)
    p.add_argument("--user", default=None)
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    p = sub.add_parser("projects-template", help="Vorlage für Gemeinschaftsprojekte (.xlsx), vorausgefüllt")
    p.add_argument("-o", "--output", required=True, type=Path)
    p = sub.add_parser("bund", help="Export des Bundes-Dashboards (JSON/CSV/XLSX) als Stand für den Bund-Abgleich")
    p.add_argument("file", type=Path, nargs="?", help="heruntergeladener Export (oder --url)")
    p.add_argument("--url", help="statt einer Datei: alle Seiten von der API abrufen, z. B. https://…/v1/data")
    p.add_argument("--stand", type=day, help="Stand der Bundesdaten (TT.MM.JJJJ oder JJJJ-MM-TT; sonst heute)")
    p.add_argument("--user", default=None)
    p = sub.add_parser("history", help="Importe auflisten")
    p.add_argument("--city", help="nur diese Kommune")
    p.add_argument("--limit", type=int, default=50)
    p = sub.add_parser("revert", help="einen Import zurücknehmen")
    p.add_argument("batch", type=int)
    p.add_argument("--user", default=None)
    p = sub.add_parser("users", help="Benutzer der App verwalten (Rollen, Kommunen, lokale Passwörter)")
    users_sub = p.add_subparsers(dest="users_action", required=True, parser_class=GermanParser)
    u = users_sub.add_parser("add", help="Benutzer anlegen; fragt nach dem Passwort")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=["admin", "coordinator", "viewer"])
    u.add_argument("--city", action="append", default=[], help="Kommune (AGS oder Name), mehrfach möglich")
    u.add_argument("--display-name", default=None)
    u.add_argument("--email", default=None, help="E-Mail für die Anmeldung über OIDC (st.login)")
    u.add_argument("--password-stdin", action="store_true", help="Passwort aus der ersten Zeile der Eingabe lesen")
    u.add_argument("--no-password", action="store_true", help="ohne lokales Passwort (nur OIDC-Anmeldung)")
    u = users_sub.add_parser("passwd", help="lokales Passwort setzen")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true")
    users_sub.add_parser("list", help="Benutzer auflisten")
    p = sub.add_parser("linkcheck", help="gemeldete Links prüfen (Exit 1, wenn einer nicht erreichbar ist)")
    p.add_argument("--city", help="nur diese Kommune (AGS oder Name)")
    p.add_argument("--timeout", type=_seconds, default=10.0, help="Sekunden je Abruf (Standard 10)")
    u = users_sub.add_parser("unlock", help="Sperre nach Fehlversuchen aufheben (Benutzer und/oder Adresse)")
    u.add_argument("name", nargs="?", help="Benutzername, dessen Fehlversuche vergessen werden")
    u.add_argument("--client", help="Client-Adresse (IP), deren Fehlversuche vergessen werden")
    u.add_argument("--list", action="store_true", help="alle gezählten Fehlversuche und Sperren anzeigen")
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Zahl von Sekunden, z. B. 10.") from None
    if not 0 < value <= 300:
        raise argparse.ArgumentTypeError(f"{text} Sekunden: erwartet mehr als 0 und höchstens 300.")
    return value


def _user(name: str | None) -> str:
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _operator() -> auth.User:
    """The CLI acts as the local operator (admin rights: it runs where the database file can be written anyway)."""
    return auth.local_operator(_user(None))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = Database(args.db)
    try:
        code = COMMANDS[args.command](db, args)
        sys.stdout.flush()  # a reader that went away (`… | head`) shows here, inside this handler
        return code
    except BrokenPipeError:
        return pipes.stdout_gone()
    except FileRejected as exc:
        print(f"Fehler: {exc.problem}", file=sys.stderr)
        return EXIT_USAGE
    except OzgError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"Fehler: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 — last resort: one line for cron logs instead of a traceback
        return unexpected(exc)


def cmd_init(db: Database, args) -> int:
    result = init_database(db, sample=args.sample)
    print(f"Datenbank {db.display_name}: Schema-Version {migrations.latest_version()}"
          + (f" (angewendet: {', '.join(map(str, result.migrations_applied))})" if result.migrations_applied else ""))
    print(f"Kommunen der Kooperation: {result.kommunen}")
    if result.catalogue:
        c = result.catalogue
        print(f"Katalog: {c.added} neu, {c.updated} geändert, {c.retired} entfallen, {c.unchanged} unverändert")
    else:
        print("Katalog: bereits aktuell")
    if args.sample:
        print(f"Beispieldaten (erfunden): {fmt.counted(result.sample_batches, 'Import', 'Importe')} geladen"
              if result.sample_batches
              else "Beispieldaten: nicht geladen, die Datenbank enthält bereits Statusdaten")
    from ozg import users

    if not users.list_users(db):
        print("Noch keine Benutzer. Ersten Admin anlegen: python -m loaders users add NAME --role admin")
    return EXIT_OK


def cmd_catalogue(db: Database, args) -> int:
    migrations.require_current(db)
    entries, problems = catalogue_file.read_catalogue(args.file)
    for problem in problems:
        print(f"Fehler: {problem}", file=sys.stderr)
    if problems:
        return EXIT_REJECTED
    r = catalogue.apply_catalogue(db, entries, args.file.name, sha256_file(args.file), _user(args.user))
    print(f"Katalog importiert (Import {r.batch_id}): {r.added} neu, {r.updated} geändert, {r.retired} entfallen, "
          f"{r.unchanged} unverändert. Statusdaten bleiben erhalten.")
    return EXIT_OK


def cmd_template(db: Database, args) -> int:
    migrations.require_current(db)
    kommune = template.write_template(db, args.city, args.output)
    print(f"Vorlage für {kommune.name} ({kommune.ags}) geschrieben: {args.output}")
    return EXIT_OK


def cmd_status(db: Database, args) -> int:
    if _no_such_file(args.file):
        return EXIT_USAGE
    outcome = importer.import_status_file(db, args.file, args.city, _user(args.user), dry_run=args.dry_run)
    if (code := _rejected(outcome)) is not None:
        return code
    result = outcome.result
    for change in result.changes:
        for fc in change.fields:  # the template's column names, values as the template shows them
            print(f"  {fc.ozg_id} {FIELD_LABELS[fc.field]}: {fmt.status_value(fc.field, fc.old)} → "
                  f"{fmt.status_value(fc.field, fc.new)}")
    verb = "würde ändern" if args.dry_run else f"importiert als Import {result.batch_id}"
    print(f"{outcome.kommune.name}: {fmt.counted(result.rows_read, 'Zeile', 'Zeilen')} gelesen, "
          f"{fmt.counted(result.rows_changed, 'Leistung', 'Leistungen')} geändert ({verb}).")
    return EXIT_OK


def _no_such_file(path: Path) -> bool:
    """True (after saying so) when the file named on the command line is not there."""
    if path.is_file():
        return False
    print(f"Fehler: Datei {path} nicht gefunden.", file=sys.stderr)
    return True


def _rejected(outcome) -> int | None:
    """Print the warnings, then the errors of an import (status, usage, projects, Bund); the exit code if it was
    rejected, None if it went through."""
    for problem in [*outcome.warnings, *outcome.errors]:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    if not outcome.errors:
        return None
    print(f"Abgelehnt: {len(outcome.errors)} Fehler, nichts wurde geändert.", file=sys.stderr)
    return _exit_code(outcome.errors)


def _exit_code(errors) -> int:
    """2 when the file could not be read or the command lacks what it needs (the city); else 1 (file rejected)."""
    return EXIT_USAGE if any(p.code in USAGE_CODES for p in errors) else EXIT_REJECTED


def cmd_usage(db: Database, args) -> int:
    from loaders import usage_file

    if _no_such_file(args.file):
        return EXIT_USAGE
    outcome = usage_file.import_usage_file(db, args.file, args.city, _user(args.user), dry_run=args.dry_run)
    if (code := _rejected(outcome)) is not None:
        return code
    verb = "geprüft, nichts gespeichert" if args.dry_run else f"Import {outcome.batch_id}"
    print(f"Fallzahlen: {fmt.counted(len(outcome.rows), 'Zeile', 'Zeilen')} gelesen, {outcome.rows_changed} "
          f"geändert ({verb}).")
    return EXIT_OK


def cmd_projects(db: Database, args) -> int:
    from loaders import projects_file

    if _no_such_file(args.file):
        return EXIT_USAGE
    outcome = projects_file.import_projects_file(db, args.file, _user(args.user), dry_run=args.dry_run)
    if (code := _rejected(outcome)) is not None:
        return code
    verb = "geprüft, nichts gespeichert" if args.dry_run else f"Import {outcome.batch_id}"
    print(f"Gemeinschaftsprojekte: {len(outcome.projects)} gelesen, {outcome.rows_changed} geändert ({verb}).")
    return EXIT_OK


def cmd_projects_template(db: Database, args) -> int:
    from loaders import projects_template

    migrations.require_current(db)
    count = projects_template.write_projects_template(db, args.output)
    print(f"Vorlage für Gemeinschaftsprojekte geschrieben: {args.output} "
          f"({fmt.counted(count, 'Projekt', 'Projekte')} vorausgefüllt).")
    return EXIT_OK


def cmd_bund(db: Database, args) -> int:
    from loaders import bund_import

    if (args.file is None) == (args.url is None):
        print("Fehler: Bitte genau eines angeben: eine Exportdatei oder --url ADRESSE der API.", file=sys.stderr)
        return EXIT_USAGE
    if args.url is not None:
        from loaders import bund_fetch

        outcome = bund_fetch.import_bund_url(db, args.url, args.stand, _user(args.user))
    elif _no_such_file(args.file):
        return EXIT_USAGE
    else:
        outcome = bund_import.import_bund_file(db, args.file, args.stand, _user(args.user))
    if (code := _rejected(outcome)) is not None:
        return code
    if outcome.already:
        print(f"Bundesdaten: {outcome.file_name} mit Stand {fmt.date(outcome.stand)} ist bereits importiert "
              f"(Stand-Import {outcome.snapshot_id}); nichts geändert.")
    else:
        print(f"Bundesdaten: {fmt.counted(outcome.records, 'Datensatz', 'Datensätze')} mit Stand "
              f"{fmt.date(outcome.stand)} importiert (Stand-Import {outcome.snapshot_id}, "
              f"{fmt.counted(outcome.unknown_ozg_ids, 'unbekannte OZG-ID', 'unbekannte OZG-IDs')}).")
    return EXIT_OK


def cmd_history(db: Database, args) -> int:
    migrations.require_current(db)
    ags = None
    if args.city:
        from ozg import kommunen

        with db.connect() as conn:
            ags = kommunen.resolve(conn, args.city).ags
    frame = queries.batches(db, ags=ags, limit=args.limit)
    print("Import | Art | Zeitpunkt | Benutzer | Kommune | Datei | gelesen | geändert | Hinweis")
    frame = frame.astype(object).where(frame.notna(), None)
    for row in frame.itertuples():
        note = (f"zurückgenommen durch Import {int(row.reverted_by)}" if row.reverted_by is not None
                else row.note or "")
        print(f"{row.id} | {labels.batch_kind(row.kind)} | {row.created_at:%d.%m.%Y %H:%M} | {row.user_name} | "
              f"{row.kommune or '—'} | {row.file_name or '—'} | {row.rows_read} | {row.rows_changed} | {note}")
    return EXIT_OK


def cmd_revert(db: Database, args) -> int:
    migrations.require_current(db)
    result = status.revert_batch(db, args.batch, _user(args.user))
    print(f"Import {args.batch} zurückgenommen (als Import {result.batch_id}): "
          f"{fmt.counted(result.rows_changed, 'Leistung', 'Leistungen')} wiederhergestellt.")
    return EXIT_OK


def cmd_users(db: Database, args) -> int:
    from ozg import config, users

    migrations.require_current(db)
    if args.users_action == "unlock":
        return _users_unlock(db, args)
    if args.users_action == "list":
        for u in users.list_users(db):
            print(f"{u.name} | {u.role} | {', '.join(sorted(u.cities)) or '—'} | {u.display_name or '—'} | "
                  f"{u.email or '—'} | {'aktiv' if u.active else 'gesperrt'}")
        return EXIT_OK
    password = None
    if args.users_action == "passwd" or not args.no_password:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Passwort: ")
            if getpass.getpass("Passwort wiederholen: ") != password:
                print("Fehler: Die Passwörter stimmen nicht überein.", file=sys.stderr)
                return EXIT_USAGE
    if args.users_action == "passwd":
        if users.get_user(db, args.name) is None:
            print(f"Fehler: Den Benutzer „{args.name}“ gibt es nicht.", file=sys.stderr)
            return EXIT_USAGE
        users.set_password(_operator(), args.name, password)
        print(f"Passwort für {args.name} gesetzt ({config.users_file()}).")
        return EXIT_OK
    user = users.add_user(db, _operator(), args.name, args.role, args.city, display_name=args.display_name,
                          email=args.email, password=password)
    print(f"Benutzer {user.name} angelegt: Rolle {user.role}"
          + (f", Kommunen {', '.join(sorted(user.cities))}" if user.cities else "")
          + (f"; Passwort in {config.users_file()}" if password is not None else "; ohne lokales Passwort") + ".")
    return EXIT_OK


def cmd_linkcheck(db: Database, args) -> int:
    from loaders import linkcheck

    migrations.require_current(db)
    outcome = linkcheck.run(db, args.city, args.timeout)
    for row in outcome.broken.itertuples():
        print(linkcheck.broken_line(row))
    noun = "Link" if outcome.checked == 1 else "Links"
    print(f"Linkprüfung {outcome.run_id}: {outcome.checked} {noun} geprüft, {len(outcome.broken)} nicht "
          "erreichbar.")
    return EXIT_REJECTED if len(outcome.broken) else EXIT_OK


def _users_unlock(db: Database, args) -> int:
    from ozg import login_throttle

    if args.list:
        for lock in login_throttle.locks(db):
            until = f"gesperrt bis {lock.locked_until:%d.%m.%Y %H:%M}" if lock.locked_until else "nicht gesperrt"
            print(f"{'Benutzer' if lock.scope == 'account' else 'Adresse'} {lock.key} | {lock.failures} "
                  f"Fehlversuche | {until}")
        return EXIT_OK
    if not args.name and not args.client:
        print("Fehler: Bitte einen Benutzernamen oder --client ADRESSE angeben (--list zeigt alle).", file=sys.stderr)
        return EXIT_USAGE
    removed = login_throttle.unlock(db, args.name, args.client)
    who = " und ".join(x for x in (args.name and f"Benutzer {args.name}", args.client and f"Adresse {args.client}")
                       if x)
    print(f"{who}: Fehlversuche vergessen, Sperre aufgehoben." if removed
          else f"{who}: keine Fehlversuche gezählt, nichts zu tun.")
    return EXIT_OK


COMMANDS = {"init": cmd_init, "catalogue": cmd_catalogue, "template": cmd_template, "status": cmd_status,
            "history": cmd_history, "revert": cmd_revert, "users": cmd_users,
            "usage": cmd_usage, "bund": cmd_bund, "projects": cmd_projects, "projects-template": cmd_projects_template,
            "linkcheck": cmd_linkcheck}
