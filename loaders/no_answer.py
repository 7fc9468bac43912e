"""Why an HTTP request got no answer, in German: one wording for the link check and the Bund API fetch."""

from __future__ import annotations

import http.client
import socket


def no_answer(reason: object, timeout: float) -> str:
    """The reason (an exception or URLError.reason) as a short German phrase; the technical detail is kept where
    it helps the operator (certificate problems, anything not recognised)."""
    if isinstance(reason, TimeoutError):
        return f"keine Antwort innerhalb von {timeout:g} s".replace(".", ",")
    if isinstance(reason, ConnectionRefusedError):
        return "Verbindung abgelehnt"
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "Verbindung vom Server abgebrochen"
    if isinstance(reason, socket.gaierror):
        return "Servername unbekannt"
    if "certificate" in str(reason).lower():
        return f"Zertifikat ungültig (technisch: {reason})"
    return f"nicht erreichbar (technisch: {reason})"
