"""The portal's use cases: what a member outside the workspace sees and does behind their personal link.

Every call starts from the link's token: a tampered one is refused (403), an expired one too (410), and
one whose person was removed, whose consent was withdrawn or whose case closed opens nothing any more
(410, from current data: ``handlers.outside.standing``). A refusal names no case.

A person behind a link is an ordinary member of the school's platform (an ``ext.`` user id), so the
forms, the chaser answers and the date poll run through the very use cases the chat buttons call
(``handlers.forms.api``, ``handlers.chasing.registry.on_chaser``, ``handlers.reviews.poll.on_poll``):
the same checks, the same versions, the same notice to the case room, the same audit. The portal only
adds that what is asked for belongs to this person on this link's case. Nothing of the room or of other
people's inputs is read here. Opening a page is a read of case content, and audited (``portal.read``).

Modules: ``admission`` (the link, the standing, the audited read), ``page``, ``forms``, ``answers``
(chasers and the poll).
"""

from handlers.outside.portal.admission import RawValue, Refused
from handlers.outside.portal.answers import (
    CHOICES,
    KINDS,
    REASON_LIMIT,
    ChaserPage,
    answer_chaser,
    answer_poll,
    chaser_page,
)
from handlers.outside.portal.forms import FormPage, open_form, post_form, shown
from handlers.outside.portal.page import Page, open_page

__all__ = [
    "CHOICES",
    "KINDS",
    "REASON_LIMIT",
    "ChaserPage",
    "FormPage",
    "Page",
    "RawValue",
    "Refused",
    "answer_chaser",
    "answer_poll",
    "chaser_page",
    "open_form",
    "open_page",
    "post_form",
    "shown",
]
