"""The plan's neutral blocks stay within one Slack message however large the plan grows."""

from __future__ import annotations

from datetime import date

from handlers.plan.costs import parse_cost
from handlers.plan.snapshot import ActionRow, MemberRow, OutcomeRow, PlanSnapshot, Who
from handlers.plan.view import MAX_BLOCKS, plan_blocks
from handlers.replies import Bullets, Note

TOM = Who("tom", "Tom Reid", "class-teacher", "School")


def snapshot(outcomes: int, actions_each: int) -> PlanSnapshot:
    return PlanSnapshot(
        reference="TAC-0001",
        alias="Robin",
        year_group="4",
        route="annual-review",
        key_worker=TOM,
        outcomes=tuple(OutcomeRow(n, f"Outcome {n} by July", None) for n in range(1, outcomes + 1)),
        actions=tuple(
            ActionRow(
                number=n,
                what=f"Action {n}",
                owner=TOM,
                due=date(2026, 10, 1),
                where=None,
                often="weekly",
                cost_text="20 min",
                cost=parse_cost("20 min", "weekly"),
                done=False,
                overdue=n % 2 == 0,
                outcome=n % outcomes + 1,
            )
            for n in range(1, outcomes * actions_each + 1)
        ),
        team=(MemberRow(TOM, champion=True, key_worker=True),),
        consents=(),
        consent_in_force="all",
        reviews=(),
        today=date(2026, 10, 2),
    )


def test_an_outsize_plan_is_cut_short_with_a_pointer_to_the_export() -> None:
    blocks = plan_blocks(snapshot(outcomes=40, actions_each=12))
    assert len(blocks) == MAX_BLOCKS
    assert isinstance(blocks[-1], Note) and "plan export" in blocks[-1].spans[0]


def test_a_usual_plan_has_one_list_per_outcome_and_totals() -> None:
    blocks = plan_blocks(snapshot(outcomes=3, actions_each=2))
    lists = [b for b in blocks if isinstance(b, Bullets)]
    assert len(lists) == 3 + 2  # one per outcome, costs, review arrangements
    costs = " ".join(str(s) for item in lists[3].items for s in item)
    assert "2 h weekly" in costs  # 6 actions x 20 min weekly
    assert "2 weeks before" in " ".join(str(s) for item in lists[4].items for s in item)
