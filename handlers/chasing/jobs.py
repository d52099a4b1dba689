"""Reminder kinds whose delivery is an action rather than a direct message (``registry.Job``).

A job gets the reminder's subject id and returns True when it is done (posted, or nothing left to do),
False to be tried again later (the platform refused). Jobs are idempotent: each one checks current data
and records what it did, so a job retried after a crash does not post twice.
"""

from __future__ import annotations

from handlers.core import Core
from handlers.reviews.pack import post_pack
from handlers.reviews.poll import chase_poll
from storage.repo import cases as case_repo
from storage.repo import reviews as review_repo


async def pack_job(core: Core, review_id: int) -> bool:
    """Post the pre-meeting pack; False (try again) only if it is still due but unsent."""
    if await post_pack(core, review_id):
        return True
    with core.db.transaction() as s:
        review = review_repo.get_review(s, review_id=review_id)
        if review is None or review.status != "scheduled" or review.pack_posted_at is not None:
            return True
        if review.starts_at is None or review.starts_at <= core.clock.now():
            return True
        room = case_repo.get_room(s, case_id=review.case_id)
        return room is None or room.state != "ready" or not room.external_id


async def poll_job(core: Core, review_id: int) -> bool:
    """Chase a date poll's non-answerers (once; a closed poll is nothing to do)."""
    await chase_poll(core, review_id)
    return True
