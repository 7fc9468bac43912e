"""OIDC sign-in: which cockpit user a set of identity-provider claims (st.user) stands for.

Only a verified e-mail address (`email_verified` is True) from the configured issuer maps a person; an identity
provider that lets people type their own address must not hand out the admin account. On the first sign-in the
user is bound to the provider's stable subject (`sub`); afterwards they are matched on (issuer, sub) only, so a
changed or re-used e-mail address cannot take the account over. A person the cockpit does not know reads only.
"""

from __future__ import annotations

from collections.abc import Mapping

from ozg import users
from ozg.auth import User
from ozg.db import Database

_BY_SUBJECT = "SELECT user_name FROM app_user WHERE oidc_issuer = ? AND oidc_subject = ? AND active"
_BY_EMAIL = "SELECT user_name, oidc_issuer, oidc_subject FROM app_user WHERE email = ? AND active"
_BIND = ("UPDATE app_user SET oidc_issuer = ?, oidc_subject = ? "
         "WHERE user_name = ? AND oidc_subject IS NULL AND oidc_issuer IS NULL")


def normalise_issuer(issuer: str | None) -> str | None:
    """Issuer URL without trailing slash (providers differ on it), or None."""
    text = (issuer or "").strip().rstrip("/")
    return text or None


def issuer_from_metadata_url(url: str | None) -> str | None:
    """`https://idp/realms/x/.well-known/openid-configuration` → `https://idp/realms/x` (the OIDC rule)."""
    if not url:
        return None
    suffix = "/.well-known/openid-configuration"
    text = url.strip()
    return normalise_issuer(text[: -len(suffix)] if text.endswith(suffix) else None)


def user_for_claims(db: Database, claims: Mapping[str, object], issuer: str | None) -> User | None:
    """The active cockpit user for these claims, or None (read-only visitor). Binds `sub` on first sign-in."""
    expected = normalise_issuer(issuer)
    iss = normalise_issuer(claims.get("iss") if isinstance(claims.get("iss"), str) else None)
    sub = claims.get("sub")
    if expected is None or iss != expected or not isinstance(sub, str) or not sub:
        return None
    with db.connect() as conn:
        bound = conn.execute(_BY_SUBJECT, [iss, sub])
    if len(bound) == 1:
        return users.get_user(db, bound[0][0])
    email = claims.get("email")
    if claims.get("email_verified") is not True or not isinstance(email, str) or not email.strip():
        return None
    with db.connect() as conn:  # read first: only a first sign-in writes (a transaction bumps the data version)
        found = conn.execute(_BY_EMAIL, [email.strip().lower()])
    if len(found) != 1:
        return None
    name, bound_iss, bound_sub = found[0]
    if bound_sub is not None or bound_iss is not None:  # bound to another identity: the address is not enough
        return None
    with db.transaction() as conn:
        conn.execute(_BIND, [iss, sub, name])  # WHERE … IS NULL: a concurrent first sign-in cannot rebind
        bound = conn.execute(_BY_SUBJECT, [iss, sub])
    return users.get_user(db, name) if len(bound) == 1 and bound[0][0] == name else None
