"""A verified access token is remembered until its expiry (identity.tokens._VERIFIED): the same
principal again without verifying, an expired or a tampered token refused all the same."""
import time

import jwt
import pytest

from crm_common.principal import Principal
from crm_gateway import settings
from crm_gateway.identity import tokens


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("CRM_JWT_SECRET", "s" * 40)
    tokens._VERIFIED.clear()


PRINCIPAL = Principal(user_id="2b1e6a3c-8f43-4c6e-9a55-5a7c1f0c2d10", department_path="/d1/", branch="HQ",
                      scope="own", permissions=frozenset({"customers.read"}), username="rep")


def test_the_same_token_is_verified_once_and_answers_the_same_principal():
    token = tokens.issue_access_token(PRINCIPAL, "family")
    first = tokens.decode_access_token(token)
    assert first.principal == PRINCIPAL and first.session_id == "family"
    assert tokens.decode_access_token(token) is first


def test_a_remembered_token_past_its_expiry_is_refused():
    now = int(time.time())
    claims = {"sub": PRINCIPAL.user_id, "iss": settings.JWT_ISSUER, "aud": settings.JWT_AUDIENCE, "iat": now,
              "exp": now + 1, "usr": "rep", "dep": "/d1/", "br": "HQ", "scp": "own", "prm": ["customers.read"]}
    token = jwt.encode(claims, settings.jwt_secret(), algorithm=settings.JWT_ALGORITHM)
    tokens.decode_access_token(token)
    time.sleep(max(0.0, now + 1 - time.time()) + 0.05)
    with pytest.raises(tokens.InvalidToken):
        tokens.decode_access_token(token)


def test_a_tampered_token_or_another_secret_is_not_taken_from_memory(monkeypatch):
    token = tokens.issue_access_token(PRINCIPAL)
    tokens.decode_access_token(token)
    with pytest.raises(tokens.InvalidToken):
        tokens.decode_access_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    monkeypatch.setenv("CRM_JWT_SECRET", "t" * 40)
    with pytest.raises(tokens.InvalidToken):
        tokens.decode_access_token(token)
