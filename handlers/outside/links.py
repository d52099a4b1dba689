"""Personal portal links: one person on one case, signed and expiring (``TACBOT_LINK_DAYS``).

A link is ``<TACBOT_PUBLIC_URL>/portal/<token>``; the token is an itsdangerous signature over
``{"p": person id, "c": case id}`` and the instant it was made (read from the injected clock, so tests
control expiry). The signature only says who the link was made for: whether it still opens anything is
decided from current data each time (``handlers.outside.portal``): removed, consent withdrawn or case
closed all close it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from handlers.clock import Clock

SALT = "tacbot.portal.link"


class LinkRefused(Exception):
    """The link was tampered with (``status`` 403) or is too old (410)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True, slots=True)
class LinkClaim:
    person_id: int
    case_id: int


def portal_secrets(data_key: str) -> list[bytes]:
    """A signing key derived from each key of ``TACBOT_DATA_KEY``, newest first: new links are signed with
    the first, and links signed with an older one open while that key is still listed (a rotation)."""
    keys = [k.strip().encode() for k in data_key.split(",") if k.strip()]
    return [hmac.new(k, b"tacbot portal links v1", hashlib.sha256).digest() for k in keys]


class LinkSigner:
    def __init__(self, secret: bytes | Sequence[bytes], *, clock: Clock, days: int) -> None:
        """``secret``: one key, or several newest first (only the first signs; all verify)."""
        keys = [secret] if isinstance(secret, bytes) else list(secret)
        secret = keys[0]
        clock_ = clock

        class _ClockSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock_.now().timestamp())

        self._clock = clock
        self._forms_key = hmac.new(secret, b"tacbot portal forms v1", hashlib.sha256).digest()
        # itsdangerous signs with the last key of a list and verifies with any of them.
        self._serializer = URLSafeTimedSerializer(list(reversed(keys)), salt=SALT, signer=_ClockSigner)
        self.lifetime = timedelta(days=days)

    def make(self, *, person_id: int, case_id: int) -> str:
        token = self._serializer.dumps({"p": person_id, "c": case_id})
        return token if isinstance(token, str) else token.decode()

    def form_token(self, token: str, nonce: str) -> str:
        """The CSRF token of a portal form: an HMAC of the link's token and the page's nonce."""
        return hmac.new(self._forms_key, f"{token}|{nonce}".encode(), hashlib.sha256).hexdigest()

    def form_token_ok(self, token: str, nonce: str, given: str) -> bool:
        if not nonce or len(nonce) > 64 or not given:
            return False
        return hmac.compare_digest(self.form_token(token, nonce), given)

    def read(self, token: str) -> LinkClaim:
        """The claim of a genuine link; ``LinkRefused`` (403 tampered, 410 expired) otherwise."""
        if not token or len(token) > 400:
            raise LinkRefused(403)
        try:
            data, signed_at = self._serializer.loads(token, return_timestamp=True)
        except SignatureExpired:
            raise LinkRefused(410) from None
        except BadSignature:
            raise LinkRefused(403) from None
        age = self._clock.now() - signed_at
        if age > self.lifetime:  # the clock is injected: itsdangerous's own max_age reads time.time()
            raise LinkRefused(410)
        if age < -timedelta(minutes=5):
            raise LinkRefused(403)
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("p"), int)
            or not isinstance(data.get("c"), int)
        ):
            raise LinkRefused(403)
        return LinkClaim(person_id=data["p"], case_id=data["c"])
