"""Sign-in for the app: who is using this session, shown and changed in the sidebar.

Two ways in, one user table (ozg/users.py):
- Production: Streamlit's OIDC support. When `.streamlit/secrets.toml` has an [auth] section, the sidebar offers
  „Anmelden“ → st.login(); afterwards the claims are mapped by ozg/oidc.py: only a verified e-mail from the
  configured issuer (OZG_OIDC_ISSUER, else derived from server_metadata_url), bound to (issuer, sub) on first
  sign-in. A person the identity provider knows but the cockpit does not gets read access only.
- Embedded default: a user-name/password form checked against the argon2 hashes in the users file, throttled per
  account and client address in the database (ozg/login_throttle.py).
Reading pages needs no sign-in; writing (Meldung, revert in Verlauf) needs a coordinator or admin, and the service
layer checks that again on every write.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from dashboard import ui
from dashboard.data import get_db
from ozg import config, login_throttle, oidc, users
from ozg.auth import ROLE_LABELS, User
from ozg.errors import DatabaseDamaged, DatabaseMissing, OzgError, SchemaError

LOG = logging.getLogger("ozg.dashboard")
# What current_user treats as "nobody signed in": a database that is missing, damaged or not set up (the page
# boundary says so). NOT DatabaseBusy: a cron import holding the file must not silently sign a coordinator out —
# it reaches the page boundary, which asks to retry, and the session stays signed in.
_NO_USER_TABLE = (DatabaseMissing, DatabaseDamaged, SchemaError)

SESSION_KEY = "ozg_user_name"   # local sign-in: the user name (the user is re-read from the database every run)
FAILED_PAUSE = 1.0              # seconds after a wrong password: slows guessing without bothering people


def oidc_configured() -> bool:
    """True when secrets.toml has an [auth] section (production sign-in via st.login)."""
    # load_if_toml_exists() never raises: an unreadable secrets file means no OIDC, local sign-in.
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def _oidc_claims() -> dict | None:
    """The identity provider's claims of a signed-in session, else None."""
    if not st.user.is_logged_in:
        return None
    return dict(st.user.to_dict())


def _oidc_email() -> str | None:
    claims = _oidc_claims()
    email = claims.get("email") if claims else None
    return email if isinstance(email, str) else None


def expected_issuer() -> str | None:
    """The issuer whose claims count: OZG_OIDC_ISSUER, else the one server_metadata_url in [auth] names."""
    if config.oidc_issuer():
        return config.oidc_issuer()
    section = st.secrets.get("auth", {})
    url = section.get("server_metadata_url")
    if url is None:  # provider sections: [auth.<name>] with their own server_metadata_url; exactly one counts
        urls = [v.get("server_metadata_url") for v in section.values() if hasattr(v, "get")]
        url = urls[0] if len(urls) == 1 else None
    return oidc.issuer_from_metadata_url(url)


def current_user() -> User | None:
    """The signed-in, active user of this session, or None (re-read each run, so a locked account stops at once)."""
    try:
        if oidc_configured():
            claims = _oidc_claims()
            user = oidc.user_for_claims(get_db(), claims, expected_issuer()) if claims else None
        else:
            name = st.session_state.get(SESSION_KEY)
            user = users.get_user(get_db(), name) if name else None
    except _NO_USER_TABLE:  # the page boundary explains the database; reading pages need no user
        return None
    return user if user is not None and user.active else None


def client_address() -> str | None:
    """The visitor's address: behind a trusted reverse proxy (OZG_TRUSTED_PROXY=1) the last X-Forwarded-For hop."""
    if config.trusted_proxy():
        forwarded = st.context.headers.get("X-Forwarded-For", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # None where there is no browser (AppTest, scripts)


def sign_in(name: str, password: str) -> User | None:
    """Check a local user name and password; on success remember the user in this session.

    Raises TooManyFailures (German message with the minutes) while the account or the client address is locked,
    TooManyAttempts when all password-check slots are busy.
    """
    user = login_throttle.sign_in(get_db(), name, password, client_address())
    if user is None:
        time.sleep(FAILED_PAUSE)
        return None
    st.session_state[SESSION_KEY] = user.name
    return user


def sign_out() -> None:
    """Forget the signed-in user (and end the OIDC session when that is in use)."""
    st.session_state.pop(SESSION_KEY, None)
    if oidc_configured() and _oidc_email():
        st.logout()


def _role_text(user: User) -> str:
    text = ROLE_LABELS.get(user.role, user.role)
    if user.role == "coordinator":
        text += f" für {len(user.cities)} Kommune" + ("" if len(user.cities) == 1 else "n")
    return text


def _local_form() -> None:
    with st.expander("Anmelden (Koordination)", expanded=False):
        try:
            first_run = not users.has_users(get_db())
        except _NO_USER_TABLE:  # see current_user
            first_run = False
        if first_run:
            ui.note("Noch keine Benutzer angelegt. Die erste Administration legt man auf dem Server an:")
            st.code("python -m loaders users add NAME --role admin", language="bash")
        with st.form("ozg_sign_in", clear_on_submit=True):
            name = st.text_input("Benutzername", key="ozg_sign_in_name")
            password = st.text_input("Passwort", type="password", key="ozg_sign_in_password")
            submitted = st.form_submit_button("Anmelden")
        if submitted:
            try:
                if sign_in(name, password):
                    st.rerun()
            except (login_throttle.TooManyFailures, login_throttle.TooManyAttempts) as exc:
                st.error(str(exc))
            except OzgError as exc:  # e.g. a damaged users file: the message names a server path → log only
                LOG.warning("Anmeldung nicht möglich: %s", exc)
                st.error("Die Anmeldung ist gerade nicht möglich. Bitte die Administration verständigen "
                         "(Einzelheiten stehen im Protokoll des Servers).")
            else:
                st.error("Benutzername oder Passwort falsch.")


def sidebar() -> User | None:
    """The sign-in box at the bottom of the sidebar; returns the signed-in user."""
    user = current_user()
    with st.sidebar:
        st.divider()
        if user is not None:
            st.text(f"Angemeldet: {user.label}\n{_role_text(user)}")  # st.text: names are never markdown
            st.button("Abmelden", key="ozg_sign_out", on_click=sign_out)
        elif oidc_configured():
            email = _oidc_email()
            if email:
                st.text(f"Angemeldet als {email}")
                ui.note("Dieses Konto hat nur Leserechte. Schreibrechte vergibt die Administration.")
                st.button("Abmelden", key="ozg_sign_out", on_click=sign_out)
            else:
                st.button("Anmelden", key="ozg_sign_in_oidc", on_click=st.login)
        else:
            _local_form()
    return user


def require_writer() -> User:
    """The signed-in coordinator or admin; otherwise explain and stop the page."""
    user = current_user()
    if user is None:
        st.info("Bitte zuerst in der Seitenleiste anmelden. Meldungen sind nur für Koordinatorinnen und "
                "Koordinatoren der Kommunen möglich; alle anderen Seiten sind ohne Anmeldung lesbar.")
        st.stop()
    if user.role not in ("coordinator", "admin"):
        st.warning("Ihr Konto hat nur Leserechte. Schreibrechte für eine Kommune vergibt die Administration.")
        st.stop()
    return user


def author_labels(user_names, kommunen, viewer: User | None) -> list[str]:
    """Who made each change, as this viewer may see it: user names for signed-in people; for anonymous visitors
    only the role and city („Koordination Fulda“, „Administration“, „Betrieb“), never the list of user names."""
    user_names = list(user_names)
    if viewer is not None:
        return [str(n) for n in user_names]
    roles = {u.name: u.role for u in users.list_users(get_db())}
    labels = []
    for name, kommune in zip(user_names, kommunen, strict=True):
        role = roles.get(name)
        if role == "coordinator":
            labels.append(f"Koordination {kommune}" if isinstance(kommune, str) and kommune else "Koordination")
        elif role in ROLE_LABELS:
            labels.append(ROLE_LABELS[role])
        else:  # command line, cron, sample data: not a person of the app
            labels.append("Betrieb")
    return labels
