"""HTML of the service directory: a self-contained page (index.html) and the embeddable fragment (fragment.html).

Everything is inline (CSS and a small search script from verzeichnis_assets/): nothing is loaded from another
host — no fonts, scripts, images or tracking. The fragment is scoped by the class `ozgv` and ids prefixed
`ozgv-`, so it can be included into a city's CMS page; its headings start at h2 (the page's h1 is the city's).
"""

from __future__ import annotations

from html import escape
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from ozg import fmt
from ozg.domain import counting_rule_text
from reports.verzeichnis import Directory, Entry

ASSETS = Path(__file__).parent / "verzeichnis_assets"
END_TO_END = "Ende-zu-Ende digital (mit Bezahlung)"
UNREACHABLE = "vorübergehend nicht erreichbar"


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _count(n: int) -> str:
    return "1 Leistung" if n == 1 else f"{fmt.number(n)} Leistungen"


def _portal_link(directory: Directory) -> str:
    if not directory.portal:
        return ""
    host = urlsplit(directory.portal).hostname or directory.portal
    return f'<a href="{escape(directory.portal)}">Serviceportal {escape(host)}</a>'


def title(directory: Directory) -> str:
    return f"Online-Dienste in {directory.name}"


def _entry(entry: Entry, portal: str) -> str:
    if entry.link:
        head = f'<a class="ozgv-name" href="{escape(entry.link)}">{escape(entry.name)}</a>'
    else:
        head = f'<span class="ozgv-name">{escape(entry.name)}</span>'
    marks = []
    if entry.unreachable:
        marks.append(f'<span class="ozgv-merkmal ozgv-hinweis">Online-Dienst {UNREACHABLE}</span>')
    elif not entry.link:
        where = f" – bitte im {portal} suchen" if portal else ""
        marks.append(f'<span class="ozgv-merkmal">kein direkter Link hinterlegt{where}</span>')
    if entry.ende_zu_ende:
        marks.append(f'<span class="ozgv-merkmal ozgv-e2e">{END_TO_END}</span>')
    if entry.federfuehrung:
        marks.append(f'<span class="ozgv-merkmal">entwickelt von {escape(entry.federfuehrung)}</span>')
    details = f'\n      <p class="ozgv-merkmale">{" · ".join(marks)}</p>' if marks else ""
    return f'    <li class="ozgv-eintrag">\n      {head}{details}\n    </li>'


def fragment(directory: Directory) -> str:
    """The list with its search box, style and script: one <div class="ozgv"> to include into a page."""
    portal = _portal_link(directory)
    groups = [(name, list(items)) for name, items in groupby(directory.entries, key=lambda e: e.themenfeld)]
    stand = fmt.date(directory.stand)
    parts = ['<div class="ozgv" lang="de">', f"<style>\n{_asset('verzeichnis.css')}</style>"]
    intro = (f"In {escape(directory.name)} können Sie {_count(len(directory.entries))} online erledigen "
             f"(Stand {stand}).")
    if portal:
        intro += f" Alle Dienste finden Sie auch im {portal}."
    parts.append(f'<p class="ozgv-einleitung">{intro}</p>')
    if not groups:
        parts.append('<p>Zurzeit ist hier noch keine Leistung online verfügbar.</p>')
    else:
        parts.append(
            '<div class="ozgv-suche" role="search" hidden>\n'
            '  <label for="ozgv-suchfeld">Leistung suchen</label>\n'
            '  <input id="ozgv-suchfeld" type="search" autocomplete="off" '
            'placeholder="z. B. Wohnsitz, Hund, Parken">\n'
            '  <p class="ozgv-treffer" role="status" aria-live="polite"></p>\n'
            '</div>')
        links = "".join(f'<li><a href="#ozgv-thema-{i}">{escape(name)}</a></li>'
                        for i, (name, _) in enumerate(groups, 1))
        parts.append(f'<nav class="ozgv-themen" aria-label="Themen"><ul>{links}</ul></nav>')
        for i, (name, items) in enumerate(groups, 1):
            body = "\n".join(_entry(e, portal) for e in items)
            parts.append(f'<section class="ozgv-gruppe" aria-labelledby="ozgv-thema-{i}">\n'
                         f'  <h2 id="ozgv-thema-{i}">{escape(name)}</h2>\n'
                         f'  <ul class="ozgv-liste">\n{body}\n  </ul>\n</section>')
    note = ""
    if directory.unreachable:
        n = directory.unreachable
        note = (f" {'Ein Online-Dienst ist' if n == 1 else f'{fmt.number(n)} Online-Dienste sind'} "
                f"{UNREACHABLE}; die Stadt kümmert sich darum.")
    parts.append(f'<p class="ozgv-fuss">Stand: {stand}. Aufgeführt sind die Leistungen, die in '
                 f'{escape(directory.name)} online angeboten werden ({escape(counting_rule_text(directory.threshold))}'
                 f').{note} Quelle: OZG-Cockpit der Kooperation.</p>')
    parts.append(f"<script>\n{_asset('verzeichnis.js')}</script>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def page(directory: Directory) -> str:
    """index.html: a complete page (lang="de", landmarks, h1) around the fragment."""
    portal = _portal_link(directory)
    kopf = f'<header class="ozgv-kopf"><p>{escape(directory.name)}'
    kopf += f" · {portal}</p></header>" if portal else "</p></header>"
    return (
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title(directory))}</title>\n</head>\n"
        f'<body class="ozgv-seite">\n{kopf}\n<main>\n<h1>{escape(title(directory))}</h1>\n'
        f"{fragment(directory)}</main>\n</body>\n</html>\n"
    )
