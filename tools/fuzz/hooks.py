"""Schemathesis hooks for the BFF fuzz (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz-api.mjs).

Authentication: host tokens live at most 5 minutes, longer than a short run
but not a long one, so each request gets a token minted here (HS256 with the
secret the BFF was started with, the issuer and audience it expects). Admin
routes get the admin secret instead. Both come from the environment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time

import schemathesis

TOKEN_TTL_SECONDS = 240


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint_host_token() -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "sub": "fuzz-user",
        "accountId": os.environ["FUZZ_ACCOUNT_ID"],
        "plan": "BrevoPlus",
        "email": "fuzz@acme.test",
        "locale": "en",
        "iss": os.environ["FUZZ_JWT_ISSUER"],
        "aud": os.environ["FUZZ_JWT_AUDIENCE"],
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_TTL_SECONDS,
    }
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = hmac.new(os.environ["FUZZ_JWT_SECRET"].encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


@schemathesis.auth(refresh_interval=60)
class BffAuth:
    def get(self, case, context):
        # Cached for refresh_interval seconds, well inside the token's lifetime.
        return mint_host_token()

    def set(self, case, data, context):
        if context.operation.path.startswith("/admin/"):
            token = os.environ["FUZZ_ADMIN_SECRET"]
        else:
            token = data
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
