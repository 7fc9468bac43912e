"""Where settings come from: argument > environment > default. The only module that reads os.environ."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DEFAULT_DB = DATA_DIR / "ozg.duckdb"


def db_url(arg: str | None = None) -> str:
    """Database to use: `--db` argument, else OZG_DB, else data/ozg.duckdb."""
    return arg or os.environ.get("OZG_DB") or str(DEFAULT_DB)


def lock_timeout_seconds() -> float:
    """How long a DuckDB writer or reader waits for another process to release the file."""
    return float(os.environ.get("OZG_DB_TIMEOUT", "10"))


def users_file(arg: str | None = None) -> Path:
    """Local sign-in file for the embedded setup (salted password hashes)."""
    return Path(arg or os.environ.get("OZG_USERS") or DATA_DIR / "users.toml")


def fixed_today() -> str | None:
    """OZG_TODAY=YYYY-MM-DD: run the whole program as on that day (demos, tests); unset = the real clock."""
    return os.environ.get("OZG_TODAY") or None


def oidc_issuer() -> str | None:
    """OZG_OIDC_ISSUER: the identity provider whose claims map to cockpit users (else read from secrets.toml)."""
    return os.environ.get("OZG_OIDC_ISSUER") or None


def trusted_proxy() -> bool:
    """OZG_TRUSTED_PROXY=1: the app sits behind a reverse proxy that sets X-Forwarded-For (docs/deployment.md)."""
    return os.environ.get("OZG_TRUSTED_PROXY", "") in ("1", "true", "yes")
