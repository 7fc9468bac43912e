"""Build small .ods files in tests (the OpenDocument layout LibreOffice writes, including repeated empty rows)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">'
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
        '</style:style></office:automatic-styles><office:body><office:spreadsheet>')
TAIL = "</office:spreadsheet></office:body></office:document-content>"
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')


def cell(value: object, repeat: int = 1, raw: str = "") -> str:
    """One table:table-cell as LibreOffice writes it for `value` (raw: extra attributes/content)."""
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}{raw}/>"
    if isinstance(value, bool):
        return (f'<table:table-cell{rep} office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                f"<text:p>{'WAHR' if value else 'FALSCH'}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell{rep}{raw} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, dt.date):
        return (f'<table:table-cell{rep} office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>")
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell{rep}{raw} office:value-type="string">{lines}</table:table-cell>'


def row(values: list, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    cells = "".join(v if isinstance(v, str) and v.startswith("<table:") else cell(v) for v in values)
    return f"<table:table-row{rep}>{cells}</table:table-row>"


def table(name: str, rows: list, hidden: bool = False, trailing_empty: bool = True) -> str:
    """A sheet: `rows` are lists of values or ready row() strings; LibreOffice's empty million rows follow."""
    body = "".join(r if isinstance(r, str) else row(r) for r in rows)
    if trailing_empty:
        body += ('<table:table-row table:number-rows-repeated="1048000">'
                 '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    return (f'<table:table table:name={quoteattr(name)} table:style-name="{"ta2" if hidden else "ta1"}">'
            f"{body}</table:table>")


def write_ods(path: Path, *tables: str, content: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", MANIFEST)
        zf.writestr("content.xml", content if content is not None else HEAD + "".join(tables) + TAIL)
    return path
