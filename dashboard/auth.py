"""Sign-in for the app: who is using this session, shown and changed in the sidebar.

Two ways in, one user table (ozg/users.py):
- Production: Streamlit's OIDC support. When `.streamlit/secrets.toml` has an [auth] section, the sidebar offers
  „Anmelden“ → st.login(); afterwards st.user.email is looked up in app_user.email. A person the identity provider
  knows but the cockpit does not gets read access only.
- Embedded default: a user-name/password form checked against the argon2 hashes in the users file.
Reading pages needs no sign-in; writing (Meldung, revert in Verlauf) needs a coordinator or admin, and the service
layer checks that again on every write.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.data import get_db
from ozg import users
from ozg.auth import ROLE_LABELS, User

SESSION_KEY = "ozg_user_name"   # local sign-in: the user name (the user is re-read from the database every run)
FAILED_PAUSE = 1.0              # seconds after a wrong password: slows guessing without bothering people


def oidc_configured() -> bool:
    """True when secrets.toml has an [auth] section (production sign-in via st.login)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # noqa: BLE001 — an unreadable secrets file means: no OIDC, local sign-in
        return False


def _oidc_email() -> str | None:
    try:
        if st.user.is_logged_in:
            return st.user.get("email")
    except Exception:  # noqa: BLE001 — st.user without an auth section
        return None
    return None


def current_user() -> User | None:
    """The signed-in, active user of this session, or None (re-read each run, so a locked account stops at once)."""
    try:
        if oidc_configured():
            email = _oidc_email()
            return users.user_by_email(get_db(), email) if email else None
        name = st.session_state.get(SESSION_KEY)
        user = users.get_user(get_db(), name) if name else None
    except Exception:  # noqa: BLE001 — a missing or old database must not break the reading pages (they say why)
        return None
    return user if user is not None and user.active else None


def sign_in(name: str, password: str) -> User | None:
    """Check a local user name and password; on success remember the user in this session."""
    user = users.authenticate(get_db(), name, password)
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
        except Exception:  # noqa: BLE001 — see current_user
            first_run = False
        if first_run:
            st.caption("Noch keine Benutzer angelegt. Die erste Administration legt man auf dem Server an:")
            st.code("python -m loaders users add NAME --role admin", language="bash")
        with st.form("ozg_sign_in", clear_on_submit=True):
            name = st.text_input("Benutzername", key="ozg_sign_in_name")
            password = st.text_input("Passwort", type="password", key="ozg_sign_in_password")
            submitted = st.form_submit_button("Anmelden")
        if submitted:
            if sign_in(name, password):
                st.rerun()
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
                st.caption("Dieses Konto hat nur Leserechte. Schreibrechte vergibt die Administration.")
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
