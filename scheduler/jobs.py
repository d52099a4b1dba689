"""Reminder kinds whose delivery is an action rather than a direct message (``scheduler.delivery``).

A job gets the reminder's subject id and returns True when it is done (posted, or nothing left to do),
False to be tried again later (the platform refused). Jobs are idempotent: each one checks current data
and records what it did, so a job retried after a crash does not post twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from handlers.core import Core
from handlers.errors import PlatformError
from handlers.reviews.pack import pack_job
from handlers.reviews.poll import chase_poll
from storage.models import Reminder

log = logging.getLogger(__name__)

Job = Callable[[Core, int], Awaitable[bool]]


async def poll_job(core: Core, review_id: int) -> bool:
    """Chase a date poll's non-answerers (once; a closed poll is nothing to do)."""
    await chase_poll(core, review_id)
    return True


JOBS: dict[str, Job] = {"review_pack": pack_job, "review_poll": poll_job}


async def run_jobs(core: Core, jobs: Sequence[Reminder], *, sent: list[int], failed: list[int]) -> None:
    """Run claimed jobs (outside any transaction): done ones count as sent, refused ones are retried."""
    for r in jobs:
        try:
            done = await JOBS[r.subject_kind](core, r.subject_id)
        except PlatformError as error:
            log.warning("reminder job %s failed: %s", r.id, error.message)
            done = False
        (sent if done else failed).append(r.id)
