"""Personal links: signed, expiring by the injected clock, refused when tampered, and still opening after
a rotation of ``TACBOT_DATA_KEY`` while the old key is listed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.clock import ManualClock
from handlers.outside.links import LinkRefused, LinkSigner, portal_secrets
from storage.crypto import new_key


def test_a_link_names_one_person_on_one_case_and_expires() -> None:
    clock = ManualClock()
    signer = LinkSigner(b"x" * 32, clock=clock, days=14)
    token = signer.make(person_id=7, case_id=3)
    claim = signer.read(token)
    assert (claim.person_id, claim.case_id) == (7, 3)
    clock.current += timedelta(days=14, seconds=1)
    with pytest.raises(LinkRefused) as expired:
        signer.read(token)
    assert expired.value.status == 410


@pytest.mark.parametrize("damage", ["x", "-", "A"])
def test_a_tampered_link_is_refused(damage: str) -> None:
    signer = LinkSigner(b"x" * 32, clock=ManualClock(), days=14)
    token = signer.make(person_id=7, case_id=3)
    payload, stamp, signature = token.split(".")
    # (the signature's last character carries spare bits, so damage its first)
    for forged in (f"{payload}{damage}.{stamp}.{signature}", f"{payload}.{stamp}.{damage}{signature[1:]}"):
        if forged == token:
            continue
        with pytest.raises(LinkRefused) as refused:
            signer.read(forged)
        assert refused.value.status == 403
    other = LinkSigner(b"y" * 32, clock=ManualClock(), days=14)
    with pytest.raises(LinkRefused):
        other.read(token)


def test_links_survive_a_data_key_rotation_while_the_old_key_is_listed() -> None:
    clock = ManualClock()
    old, new = new_key(), new_key()
    before = LinkSigner(portal_secrets(old), clock=clock, days=14).make(person_id=1, case_id=2)
    rotated = LinkSigner(portal_secrets(f"{new},{old}"), clock=clock, days=14)
    assert rotated.read(before).person_id == 1
    fresh = rotated.make(person_id=1, case_id=2)
    assert LinkSigner(portal_secrets(new), clock=clock, days=14).read(fresh).case_id == 2
    with pytest.raises(LinkRefused):
        LinkSigner(portal_secrets(new), clock=clock, days=14).read(before)  # the old key dropped
