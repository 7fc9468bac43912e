"""Roles and permission checks, enforced in the service layer, not only by hiding buttons.

The service layer: loaders/service.py (imports, quick edit, revert), ozg/users.py, ozg/savings_store.py.

    viewer       reads everything, writes nothing
    coordinator  writes status (file import, quick edit) for the cities in user_city; reverts own imports there
    admin        writes for every city, reverts every import, manages users, catalogue and cost parameters

Every check has a `can_…` (bool, for showing or hiding a button) and a `require_…` (raises PermissionDenied with
the German sentence the app shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ozg.errors import PermissionDenied

ROLES: tuple[str, ...] = ("viewer", "coordinator", "admin")
ROLE_LABELS: dict[str, str] = {"viewer": "Lesen", "coordinator": "Koordination", "admin": "Administration"}


@dataclass(frozen=True)
class User:
    """A signed-in person as the service layer sees them."""

    name: str
    role: str
    cities: frozenset[str] = field(default_factory=frozenset)   # AGS a coordinator may write for
    display_name: str | None = None
    email: str | None = None
    active: bool = True

    @property
    def label(self) -> str:
        """Name for the UI: display name, else the sign-in name."""
        return self.display_name or self.name

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == "admin"


class BatchLike(Protocol):
    """What a revert check needs to know about an import (import_batch row, a pandas row, BatchRef)."""

    user_name: str
    ags: str | None


@dataclass(frozen=True)
class BatchRef:
    id: int
    kind: str
    ags: str | None
    user_name: str
    reverted_by: int | None = None


def can_write(user: User | None, ags: str) -> bool:
    """True if `user` may change the status of Kommune `ags`."""
    if user is None or not user.active:
        return False
    if user.role == "admin":
        return True
    return user.role == "coordinator" and ags in user.cities


def require_write(user: User | None, ags: str, city_name: str | None = None) -> None:
    """Raise PermissionDenied unless `user` may change the status of Kommune `ags`."""
    if can_write(user, ags):
        return
    what = city_name or f"AGS {ags}"
    if user is None:
        raise PermissionDenied(f"Bitte zuerst anmelden: Meldungen für {what} sind nur für angemeldete "
                               "Koordinatorinnen und Koordinatoren möglich.")
    if not user.active:
        raise PermissionDenied(f"Das Konto „{user.name}“ ist gesperrt. Bitte an die Administration wenden.")
    if user.role != "coordinator":
        raise PermissionDenied(f"„{user.name}“ hat nur Leserechte und darf für {what} nichts ändern. Schreibrechte "
                               "vergibt die Administration.")
    raise PermissionDenied(f"„{user.name}“ ist nicht für {what} zuständig und darf dort nichts ändern. "
                           "Schreibrechte für weitere Kommunen vergibt die Administration.")


def writable_cities(user: User | None, all_cities: list[str]) -> list[str]:
    """The AGS from `all_cities` that `user` may write for, in the given order."""
    return [ags for ags in all_cities if can_write(user, ags)]


def can_revert(user: User | None, batch: BatchLike) -> bool:
    """Admin, or the coordinator who made the import (and still writes for its city)."""
    if user is None or not user.active:
        return False
    if user.role == "admin":
        return True
    return (user.role == "coordinator" and batch.user_name == user.name
            and batch.ags is not None and batch.ags in user.cities)


def require_revert(user: User | None, batch: BatchRef) -> None:
    """Raise PermissionDenied unless `user` may revert `batch`."""
    if can_revert(user, batch):
        return
    if user is None:
        raise PermissionDenied("Bitte zuerst anmelden: Importe zurücknehmen dürfen nur angemeldete Personen.")
    raise PermissionDenied(f"Import {batch.id} stammt von „{batch.user_name}“. Zurücknehmen dürfen ihn nur diese "
                           "Person (als Koordination der Kommune) und die Administration.")


def local_operator(name: str) -> User:
    """The person running the command line on the server: admin rights, because whoever can run the CLI there can
    read and write the database file directly anyway. Only loaders/cli.py uses this; the app never does."""
    return User(name, "admin", display_name=f"{name} (Kommandozeile)")


def require_admin(user: User | None) -> None:
    """Raise PermissionDenied unless `user` is an active admin."""
    if user is not None and user.is_admin:
        return
    raise PermissionDenied("Das darf nur die Administration (Benutzer, Katalog, Kostenparameter).")
