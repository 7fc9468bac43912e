"""Tell what a file really is from its first bytes (never from its name)."""

from __future__ import annotations

from loaders.problems import FileRejected, Problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

# Other formats people upload by mistake, with the German name used in the message.
_OTHER = (
    (b"%PDF", "eine PDF-Datei"),
    (b"\x89PNG", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF8", "ein GIF-Bild"),
    (b"\x1f\x8b", "ein gzip-Archiv"),
    (b"Rar!", "ein RAR-Archiv"),
    (b"7z\xbc\xaf", "ein 7-Zip-Archiv"),
)

UNREADABLE = "unreadable"  # Problem.code for files that cannot be read at all (CLI exit code 2)
UPLOAD_HINT = ("Bitte die Statusvorlage als Excel-Arbeitsmappe (.xlsx), LibreOffice-Tabelle (.ods) oder als "
               "CSV-Datei hochladen.")


def not_a_table(file_name: str, what: str) -> FileRejected:
    """The whole-file rejection for something that is neither xlsx nor csv."""
    return FileRejected(Problem(file_name, f"Die Datei ist keine Excel- (.xlsx) oder CSV-Datei, sondern {what}. "
                                           f"{UPLOAD_HINT}", code=UNREADABLE))


def sniff_kind(head: bytes, file_name: str) -> str:
    """'xlsx', 'ole' or 'csv' judged by content; raises FileRejected for other formats and binary data."""
    if head.startswith(ZIP_MAGICS):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "ole"
    for magic, what in _OTHER:
        if head.startswith(magic):
            raise not_a_table(file_name, what)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise not_a_table(file_name, "eine UTF-16-Textdatei (Excel: „Unicode-Text“). Bitte als „CSV UTF-8 (durch "
                                     "Trennzeichen getrennt)“ speichern")
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:5].lower() in (b"<?xml", b"<html", b"<!doc") or text[:6].lower() == b"<table":
        raise not_a_table(file_name, "eine HTML- oder XML-Datei")
    if b"\x00" in head:
        raise not_a_table(file_name, "eine Binärdatei")
    return "csv"
