"""Reviews and the plan over signed HTTP: poll buttons, `review pick`, and a large plan within limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from icalendar import Calendar

from handlers.clock import ManualClock
from tests.bot.slack.test_slack_http import open_case
from tests.fakes.blockkit import check_blocks
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload


async def with_tom(slack: SlackDriver) -> str:
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    return room


async def test_poll_buttons_in_the_dm_then_pick_sends_invitations(slack: SlackDriver) -> None:
    room = await with_tom(slack)
    await slack.command("U0SAM", "review poll 20/10 14:30, 22/10 09:00", channel=room)
    assert "Asked 2 members which of the 2 slots" in slack.replies()
    poll = [
        b
        for b in buttons_in(slack.fake.posts_to("DU0TOM"))
        if json.loads(b["value"])["a"].startswith("poll.")
    ]
    assert [b["text"]["text"] for b in poll] == ["Can", "Can't", "Maybe"] * 2
    for button in (poll[0], poll[4]):  # can make slot 1, can't make slot 2
        url = slack.fake.response_url()
        status, _ = await slack.interactive(
            press_payload("U0TOM", button, channel="DU0TOM", response_url=url)
        )
        assert status == 200
    answers = json.dumps(slack.fake.responses[-2:])
    assert "you can make slot 1." in answers and "can't make slot 2" in answers
    await slack.command("U0SAM", "review poll", channel=room)
    tally = json.dumps(slack.fake.responses[-1])
    assert "1 of 2 answered" in tally and "can: <@U0TOM>" in tally and "Not answered yet: <@U0SAM>" in tally
    await slack.command("U0SAM", "review pick 1", channel=room)
    assert "Review meeting fixed: Tue 20 Oct 2026 at 14:30" in json.dumps(slack.fake.responses[-1])
    for user in ("U0SAM", "U0TOM"):
        (invite,) = slack.fake.shared_to(f"D{user}")
        assert invite.data is not None
        start = Calendar.from_ical(invite.data).walk("VEVENT")[0].decoded("dtstart")
        assert (start.month, start.day, start.hour, start.minute) == (10, 20, 14, 30)


async def test_a_large_plan_fits_block_kit_and_slack_accepts_it(slack: SlackDriver) -> None:
    room = await with_tom(slack)
    words = "and reads aloud to an adult with growing fluency and confidence <!here> & <b>more</b> " * 3
    for n in range(1, 21):
        await slack.command(
            "U0SAM", f'outcome add "Outcome {n}: Robin {words}by July 2027" measure "log {n}"', channel=room
        )
    for n in range(1, 61):
        await slack.command(
            "U0SAM",
            f'action add "Action {n}: {words[:120]}" owner <@U0TOM|tom> due 2026-10-{n % 28 + 1:02d} '
            f'where "Room {n}" cost "30 min" often weekly outcome {n % 20 + 1}',
            channel=room,
        )
    assert "Added action 60" in json.dumps(slack.fake.responses[-1])
    before = len(slack.fake.responses)
    await slack.command("U0SAM", "plan", channel=room)
    shown = slack.fake.responses[before:]
    assert 1 <= len(shown) <= 5  # a response_url takes five messages
    for message in shown:
        assert len(message["blocks"]) <= 50 and check_blocks(message["blocks"]) == []
    text = json.dumps(shown)
    assert "Outcome 1: Robin" in text and "<@U0TOM>" in text
    assert "&lt;!here&gt;" in text and "<!here>" not in text  # the fake also checks nothing pings


async def test_review_record_opens_its_modal_at_once_from_the_commands_trigger(
    slack: SlackDriver, clock: ManualClock
) -> None:
    room = await with_tom(slack)
    await slack.command("U0SAM", "review on 20/10 at 14:30", channel=room)
    before = len(slack.fake.responses)
    early = len(slack.fake.called("views.open"))
    await slack.command("U0SAM", "review record", channel=room)  # before the meeting: refused in chat
    assert "record it once it has started" in json.dumps(slack.fake.responses[-1])
    assert len(slack.fake.called("views.open")) == early
    clock.set(datetime(2026, 10, 20, 15, 30, tzinfo=UTC))
    before = len(slack.fake.responses)
    await slack.command("U0SAM", "review record", channel=room)
    (opened,) = slack.fake.called("views.open")[early:]
    assert opened["trigger_id"] == "1337.42.abcdef" and opened["view"]["type"] == "modal"
    assert "Who came" in json.dumps(opened["view"])
    assert len(slack.fake.responses) == before  # the modal is the answer; no button to press
    first = json.loads(opened["view"]["private_metadata"])["request"]
    await slack.command("U0SAM", "review record", channel=room)  # typed again: the same form
    again = slack.fake.called("views.open")[-1]
    assert json.loads(again["view"]["private_metadata"])["request"] == first
    slack.fake.fail_next["views.open"] = ["expired_trigger_id"]
    await slack.command("U0SAM", "review record", channel=room)
    fallback = slack.fake.responses[-1]
    assert any(json.loads(b["value"])["a"] == "form.open" for b in buttons_in([fallback]))
