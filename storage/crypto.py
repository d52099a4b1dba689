"""Encryption at rest for pupil details and (once stored) platform tokens: Fernet keys from
``TACBOT_DATA_KEY``, through ``MultiFernet`` so keys can be rotated.

``TACBOT_DATA_KEY`` is one key or several separated by commas, newest first: new values are encrypted
with the first, and any of them decrypts. To rotate: put a new key first, run
``tacbot data rotate-key`` (re-encrypts every stored value with the newest key), then drop the old one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class DataKeyError(ValueError):
    """``TACBOT_DATA_KEY`` is missing or malformed, or a value was encrypted with a key no longer given.
    The message never contains a key or a value."""


def new_key() -> str:
    """A fresh key for ``TACBOT_DATA_KEY`` (URL-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode()


class DataCipher:
    """Encrypt and decrypt small text values and JSON objects with the configured keys."""

    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise DataKeyError("TACBOT_DATA_KEY is empty")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in parts])
        except (ValueError, TypeError):
            raise DataKeyError(
                "TACBOT_DATA_KEY must be Fernet keys (44 characters of URL-safe base64), comma-separated; "
                "make one with `tacbot data new-key`"
            ) from None

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise DataKeyError(
                "a stored value cannot be decrypted with the keys in TACBOT_DATA_KEY"
            ) from None

    def encrypt_json(self, value: Mapping[str, object]) -> str:
        return self.encrypt(json.dumps(dict(value), sort_keys=True))

    def decrypt_json(self, token: str) -> dict[str, object]:
        loaded = json.loads(self.decrypt(token))
        if not isinstance(loaded, dict):
            raise DataKeyError("a stored value is not what was encrypted")
        return loaded

    def rotate(self, token: str) -> str:
        """The same value encrypted with the newest key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise DataKeyError(
                "a stored value cannot be decrypted with the keys in TACBOT_DATA_KEY"
            ) from None
