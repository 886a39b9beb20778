"""Self-service tokens: the secret in the complainant's link. Only its hash is stored.

256 random bits (well over the 128 needed to be unguessable); the table holds the SHA-256 of
the token, so a copy of the table cannot be used to open anyone's complaint.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh URL-safe token (256 bits of randomness)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # surrogatepass: a JSON body can carry a lone surrogate (``"\\ud800"``), which strict
    # UTF-8 cannot encode; it hashes to something no real (ASCII) token matches.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Compare in constant time, so timing gives nothing away."""
    return hmac.compare_digest(hash_token(token), token_hash)
