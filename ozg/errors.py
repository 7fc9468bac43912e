"""Narrow exception classes. Their messages are German and meant for the person at the edge."""


class OzgError(Exception):
    """Base class: a problem a user can act on; str(err) is the message to show."""


class DatabaseBusy(OzgError):
    """Another process holds the DuckDB file longer than we were willing to wait."""


class SchemaError(OzgError):
    """The database file has a schema this program cannot use (e.g. written by a newer version)."""


class NotFound(OzgError):
    """A city, Leistung, import or user that was asked for does not exist."""


class PermissionDenied(OzgError):
    """The acting user may not do this (role or city)."""


class RevertConflict(OzgError):
    """An import cannot be reverted because later changes touched the same Leistungen."""


class PreviewOutdated(OzgError):
    """The city's status changed between a preview (or a pre-filled form) and the click that confirmed it."""


class InvalidEdit(OzgError):
    """A quick edit names a field the form does not set (a programming error at the page, not bad input)."""


class DatabaseMissing(OzgError):
    """The database file does not exist (only `python -m loaders init` creates one)."""


class DatabaseDamaged(OzgError):
    """The database file exists but cannot be opened as a database."""
