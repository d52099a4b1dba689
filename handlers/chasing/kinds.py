"""Every kind of reminder, in one typed place.

A kind's name is stored in ``reminders.subject_kind``; its ``timeline`` tells the queue how the school's
policy plans it (``scheduler.steps.Timeline``; None: queued as ready-made steps). How each kind is
delivered (a chaser about a subject, a job, a letter such as the digest) and answered is registered
beside it in ``handlers.chasing.registry.KINDS``, which a test keeps complete.

A new kind: add a member here (and its timeline), then its entry in ``registry.KINDS``; queue it from the
use case through ``handlers.chasing.queueing``.
"""

from __future__ import annotations

from enum import StrEnum

from scheduler.steps import Timeline


class Kind(StrEnum):
    """A reminder kind; implements ``scheduler.queue.ReminderKind``."""

    ACTION = "action"  # a plan action's chasers to its owner
    INPUT_REQUEST = "input_request"  # a requested input's chasers to the person asked
    REVIEW = "review"  # a review meeting's reminders to each member (and the statutory steps)
    REVIEW_PACK = "review_pack"  # a job: post the pre-meeting pack to the room
    REVIEW_POLL = "review_poll"  # a job: chase a date poll's non-answerers once
    DIGEST = "digest"  # the SENCO's weekly digest
    REFERRAL = "referral"  # a referral still sent, or waiting past its expected wait, to the key worker
    CONCERN = "concern"  # a job: a safeguarding concern nobody acknowledged, sent again (+ the SENCOs)
    MAIL = "mail"  # a job: one e-mail to a member outside the workspace (``handlers.outside.sending``)

    @property
    def timeline(self) -> Timeline | None:
        return _TIMELINES.get(self)


_TIMELINES: dict[Kind, Timeline] = {
    Kind.ACTION: Timeline.TASK,
    Kind.INPUT_REQUEST: Timeline.ADVICE,
    Kind.REVIEW: Timeline.MEETING,
}
