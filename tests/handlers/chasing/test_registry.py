"""Every reminder kind is declared once (``Kind``) and handled once (``registry.KINDS``)."""

from __future__ import annotations

from handlers.chasing.kinds import Kind
from handlers.chasing.registry import KINDS, Chaser, Job, Letter, handling
from scheduler.steps import Timeline


def test_every_kind_has_its_handling() -> None:
    assert set(KINDS) == set(Kind)


def test_planned_kinds_are_chasers_and_the_rest_are_queued_ready_made() -> None:
    """``schedule`` plans a kind by its timeline; jobs, letters and a referral's one reminder per state are
    enqueued as ready-made steps."""
    for kind, how in KINDS.items():
        assert (kind.timeline is not None) == (isinstance(how, Chaser) and kind is not Kind.REFERRAL), kind
    assert {k for k, h in KINDS.items() if isinstance(h, Job)} == {
        Kind.REVIEW_PACK,
        Kind.REVIEW_POLL,
        Kind.CONCERN,
        Kind.MAIL,
    }
    assert [k for k, h in KINDS.items() if isinstance(h, Letter)] == [Kind.DIGEST]
    assert Kind.INPUT_REQUEST.timeline is Timeline.ADVICE


def test_only_actions_and_inputs_are_answered() -> None:
    answered = {k for k, h in KINDS.items() if isinstance(h, Chaser) and h.chased}
    assert answered == {Kind.ACTION, Kind.INPUT_REQUEST}


def test_a_stored_name_this_version_does_not_know_has_no_handling() -> None:
    assert handling("retired-kind") is None
    assert handling("action") is KINDS[Kind.ACTION]
