"""How each reminder kind (``handlers.chasing.kinds.Kind``) is delivered and answered, in one table.

- ``Chaser``: a direct message about a subject, read from current data when it fires (its
  ``SubjectSource``); with an ``answer`` it carries Done / Need more time / Blocked, and while overdue it
  repeats and escalates (``scheduler.steps.follow_ups``).
- ``Job``: run instead of messaged (post the pack, chase a poll); idempotent, True when done.
- ``Letter``: a message built from current data with no subject of its own (the weekly digest).

``tests/handlers/chasing/test_registry.py`` checks every kind is here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Protocol

from sqlalchemy.orm import Session

from handlers.chasing import answers, digest, jobs
from handlers.chasing.kinds import Kind
from handlers.chasing.subjects import ActionSource, InputRequestSource, ReviewSource, SubjectSource
from handlers.concerns.resend import resend_job
from handlers.core import Ask, Core
from handlers.errors import NotFound
from handlers.model import Interaction
from handlers.outside.sending import mail_job
from handlers.referrals.chasing import ReferralSource
from handlers.replies import Reply
from scheduler.calendar import SchoolCalendar


@dataclass(frozen=True, slots=True)
class Chaser:
    subjects: SubjectSource
    load: answers.Load | None = None  # answerable: the chased subject for its Done / later / Blocked

    @property
    def chased(self) -> bool:
        """People answer it, and an overdue one repeats (only the latest of a run is sent)."""
        return self.load is not None


@dataclass(frozen=True, slots=True)
class Job:
    run: Callable[[Core, int], Awaitable[bool]]
    # Tried until done (with a growing back-off, at most ``batch.LONGEST_BACK_OFF`` apart), never given
    # up after ``batch.MAX_ATTEMPTS``: an e-mail refused by a mail server that is down for a day.
    until_done: bool = False
    # Run even once its case is closed (the job decides): a meeting's cancellation e-mailed on `close`.
    after_close: bool = False


class Write(Protocol):
    def __call__(
        self, session: Session, *, school_id: int, person_id: int, cal: SchoolCalendar, now: datetime
    ) -> Reply: ...


@dataclass(frozen=True, slots=True)
class Letter:
    write: Write  # the letter to ``person_id``, from current data


Handling = Chaser | Job | Letter

KINDS: Mapping[Kind, Handling] = MappingProxyType(
    {
        Kind.ACTION: Chaser(ActionSource(), answers.load_action),
        Kind.INPUT_REQUEST: Chaser(InputRequestSource(), answers.load_input),
        Kind.REVIEW: Chaser(ReviewSource()),
        Kind.REVIEW_PACK: Job(jobs.pack_job),
        Kind.REVIEW_POLL: Job(jobs.poll_job),
        Kind.DIGEST: Letter(digest.build_digest),
        Kind.REFERRAL: Chaser(ReferralSource()),
        Kind.CONCERN: Job(resend_job),
        Kind.MAIL: Job(mail_job, until_done=True, after_close=True),
    }
)


def handling(name: str) -> Handling | None:
    """The handling of a stored kind name (None: not a kind this version knows)."""
    try:
        return KINDS.get(Kind(name))
    except ValueError:
        return None


async def on_chaser(ask: Ask, interaction: Interaction) -> Reply:
    """Route a chaser button (``"<kind>:<id>"``) to the kind's answer."""
    name, _, raw = interaction.value.partition(":")
    how = handling(name)
    if not isinstance(how, Chaser) or how.load is None or not raw.isdigit():
        raise NotFound(answers.DEAD_BUTTON)
    return await answers.answer(ask, interaction, int(raw), load=how.load)
