"""OIDC claims → cockpit user: only a verified e-mail from the configured issuer, then bound to (issuer, sub)."""

from __future__ import annotations

import pytest

from ozg import oidc, users
from tests.ozg.auth_support import OPERATOR

ISSUER = "https://login.example.de/realms/kiv"


@pytest.fixture
def anna(any_db):
    users.add_user(any_db, OPERATOR, "anna", "admin", email="Anna@Fulda.de")
    return any_db


def claims(**extra) -> dict:
    base = {"is_logged_in": True, "iss": ISSUER, "sub": "sub-anna", "email": "anna@fulda.de",
            "email_verified": True}
    base.update(extra)
    return base


def test_verified_email_from_the_issuer_maps_and_binds_the_subject(anna):
    assert oidc.user_for_claims(anna, claims(), ISSUER).name == "anna"
    with anna.connect() as conn:
        assert conn.execute("SELECT oidc_issuer, oidc_subject FROM app_user WHERE user_name = 'anna'") == [
            (ISSUER, "sub-anna")]


@pytest.mark.parametrize("changed", [
    {"email_verified": False}, {"email_verified": "true"}, {"email_verified": None}, {"iss": "https://evil.example"},
    {"sub": ""}, {"sub": None},
])
def test_unverified_foreign_or_subjectless_claims_map_nobody(anna, changed):
    assert oidc.user_for_claims(anna, claims(**changed), ISSUER) is None
    without = {k: v for k, v in claims().items() if k != "email_verified"}
    assert oidc.user_for_claims(anna, without, ISSUER) is None


def test_no_configured_issuer_maps_nobody(anna):
    assert oidc.user_for_claims(anna, claims(), None) is None


def test_after_binding_the_subject_counts_not_the_email(anna):
    assert oidc.user_for_claims(anna, claims(), ISSUER + "/").name == "anna"  # trailing slash: same issuer
    # Same person, address changed at the provider: still anna.
    assert oidc.user_for_claims(anna, claims(email="anna.neu@fulda.de"), ISSUER).name == "anna"
    # Someone else who got anna's verified address: a different subject is not anna.
    assert oidc.user_for_claims(anna, claims(sub="sub-mallory"), ISSUER) is None


def test_a_locked_user_is_not_mapped(anna):
    oidc.user_for_claims(anna, claims(), ISSUER)
    users.set_active(anna, OPERATOR, "anna", False)
    assert oidc.user_for_claims(anna, claims(), ISSUER) is None


def test_issuer_from_the_metadata_url():
    assert oidc.issuer_from_metadata_url(ISSUER + "/.well-known/openid-configuration") == ISSUER
    assert oidc.issuer_from_metadata_url("https://x.example/other") is None
