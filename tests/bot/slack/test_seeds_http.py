"""What the seeds ask beyond the case, on Slack over HTTP against the fake Web API."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from tests.bot.slack.test_forms import _state
from tests.directory import load_example
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload, view_payload


async def open_case(slack: SlackDriver) -> str:
    assert await slack.command("U0SAM", "open Robin") == 200
    room = slack.fake.channel_named("tac-0001")
    assert room is not None
    return room.id


async def test_purpose_sets_the_topic_escaped_and_heads_status(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", 'purpose "Robin reads <!channel> &amp; <!here> with joy"', channel=room_id)
    assert "is set and announced" in slack.replies()
    topic = slack.fake.called("conversations.setTopic")[-1]
    assert topic["channel"] == room_id
    assert slack.fake.channels[room_id].topic.startswith("TAC-0001: Robin reads &lt;!channel&gt;")
    assert "set the team's purpose" in slack.fake.texts(slack.fake.posts_to(room_id))
    await slack.command("U0SAM", "status", channel=room_id)
    status = slack.fake.responses[-1]["blocks"]
    assert "Our shared purpose" in json.dumps(status[1]) and "&lt;!here&gt;" in json.dumps(status[1])


async def test_purpose_refusals_change_nothing_on_slack(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    before = len(slack.fake.called("conversations.setTopic"))
    await slack.command("U0TOM", 'purpose "Mine" case TAC-0001')
    assert "can't find TAC-0001" in slack.replies() and "Robin" not in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", "purpose no quotes", channel=room_id)
    assert "double quotes" in json.dumps(slack.fake.responses[-1])
    assert len(slack.fake.called("conversations.setTopic")) == before


async def test_the_service_directory_on_slack(slack: SlackDriver) -> None:
    await slack.command("U0TOM", "services")
    assert "tacbot services load" in slack.replies()
    load_example(slack.core.db)
    await slack.command("U0TOM", "services")
    listing = json.dumps(slack.fake.responses[-1])
    assert "County Educational Psychology Service" in listing and "Early Help Hub" in listing
    await slack.command("U0PRIYA", "service salt")
    shown = json.dumps(slack.fake.responses[-1])
    assert "How to refer" in shown and "Talk Boost" in shown
    await slack.command("U0PRIYA", "service <!channel>")
    refused = json.dumps(slack.fake.responses[-1])
    assert "There is no service called &lt;!channel&gt;" in refused


CONCERN = {
    "child": "Robin, Year 4",
    "seen": "Robin said <!here> he is scared of his brother",
    "when": "Today 10:15, the library",
    "at_risk": "Robin",
    "done": "Stayed with Robin",
}


async def test_a_concern_on_slack_goes_by_modal_to_the_dsl_only(slack: SlackDriver) -> None:
    slack.core.dsls = (("slack", "U0JO"),)
    room_id = await open_case(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room_id)
    in_room = len(slack.fake.posts_to(room_id))
    await slack.command("U0TOM", "concern", channel=room_id)
    assert slack.fake.responses[-1]["response_type"] == "ephemeral"
    (button,) = [
        b for b in buttons_in([slack.fake.responses[-1]]) if json.loads(b["value"])["a"] == "form.open"
    ]
    payload = press_payload("U0TOM", button, channel=room_id, response_url=slack.fake.response_url())
    await slack.interactive(payload)
    view = slack.fake.called("views.open")[-1]["view"]
    assert "Safeguarding concern" in json.dumps(view)
    _, text = await slack.interactive(
        view_payload("U0TOM", view, _state(view, {"child": "Robin"}), kind="view_submission")
    )
    assert json.loads(text)["response_action"] == "errors"
    assert slack.fake.posts_to("DU0JO") == []
    await slack.interactive(view_payload("U0TOM", view, _state(view, CONCERN), kind="view_submission"))
    to_dsl = slack.fake.posts_to("DU0JO")
    assert len(to_dsl) == 1 and "scared of his brother" in slack.fake.texts(to_dsl)
    assert "Robin" not in to_dsl[0]["text"]  # the notification names no pupil
    assert len(slack.fake.posts_to(room_id)) == in_room
    assert "is with the Designated Safeguarding Lead" in slack.fake.texts(slack.fake.posts_to("DU0TOM"))
    (ack,) = [b for b in buttons_in(to_dsl) if json.loads(b["value"])["a"] == "concern.ack"]
    await slack.interactive(
        press_payload("U0TOM", ack, channel="DU0JO", response_url=slack.fake.response_url())
    )
    assert "no longer does anything" in json.dumps(slack.fake.responses[-1])
    await slack.interactive(
        press_payload("U0JO", ack, channel="DU0JO", response_url=slack.fake.response_url())
    )
    assert "You have acknowledged concern" in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", "concerns")
    assert "Only the Designated Safeguarding Leads" in json.dumps(slack.fake.responses[-1])


async def test_a_disclosure_on_slack_is_refused_privately(slack: SlackDriver) -> None:
    room_id = await open_case(slack)
    in_room = len(slack.fake.posts_to(room_id))
    await slack.command("U0SAM", 'outcome add "he said his dad hit him"', channel=room_id)
    answer = slack.fake.responses[-1]
    assert answer["response_type"] == "ephemeral" and "concern" in json.dumps(answer)
    assert "dad" not in json.dumps(answer)
    assert len(slack.fake.posts_to(room_id)) == in_room


async def test_a_family_update_on_slack_is_edited_in_a_modal_and_sent_to_the_parent(
    slack: SlackDriver,
) -> None:
    room_id = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Jo Taylor" scope all', channel=room_id)
    await slack.command("U0SAM", "invite <@U0JO|jo> parent-carer", channel=room_id)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room_id)
    await slack.command("U0SAM", 'outcome add "Robin reads aloud"', channel=room_id)
    await slack.command("U0SAM", "update family", channel=room_id)
    draft = slack.fake.responses[-1]
    assert draft["response_type"] == "ephemeral" and "Robin reads aloud" in json.dumps(draft)
    found = {json.loads(b["value"])["a"]: b for b in buttons_in([draft])}
    await slack.interactive(
        press_payload("U0SAM", found["form.open"], channel=room_id, response_url=slack.fake.response_url())
    )
    view = slack.fake.called("views.open")[-1]["view"]
    await slack.interactive(
        view_payload(
            "U0SAM", view, _state(view, {"text": "Robin <!channel> is reading well."}), kind="view_submission"
        )
    )
    assert "Robin &lt;!channel&gt; is reading well." in slack.fake.texts(slack.fake.posts_to("DU0SAM"))
    in_room, to_jo = len(slack.fake.posts_to(room_id)), len(slack.fake.posts_to("DU0JO"))
    await slack.interactive(
        press_payload("U0TOM", found["family.send"], channel=room_id, response_url=slack.fake.response_url())
    )
    assert "not yours" in json.dumps(slack.fake.responses[-1]) and len(slack.fake.posts_to("DU0JO")) == to_jo
    await slack.interactive(
        press_payload("U0SAM", found["family.send"], channel=room_id, response_url=slack.fake.response_url())
    )
    assert "Sent the update to" in json.dumps(slack.fake.responses[-1])
    to_parent = slack.fake.posts_to("DU0JO")
    assert "is reading well" in slack.fake.texts(to_parent) and "Robin" not in to_parent[-1]["text"]
    assert "is reading well" not in slack.fake.texts(slack.fake.posts_to("DU0TOM"))
    assert len(slack.fake.posts_to(room_id)) == in_room


async def test_a_referral_on_slack_moves_on_and_is_chased_by_dm(
    slack: SlackDriver, clock: ManualClock
) -> None:
    load_example(slack.core.db)
    room_id = await open_case(slack)
    await slack.command("U0SAM", "refer salt", channel=room_id)
    assert "No consent in force covers" in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", 'consent given by "Jo Taylor" scope all', channel=room_id)
    await slack.command("U0SAM", 'refer salt reason "Speech <!channel>"', channel=room_id)
    assert "Recorded referral 1" in json.dumps(slack.fake.responses[-1])
    await slack.command("U0SAM", "referral 1 sent", channel=room_id)
    await slack.command("U0SAM", "referrals", channel=room_id)
    listing = json.dumps(slack.fake.responses[-1])
    assert "sent for 0 days" in listing and "Speech &lt;!channel&gt;" in listing
    await slack.command("U0SAM", "referral 1 sent", channel=room_id)
    assert "already sent" in json.dumps(slack.fake.responses[-1])
    clock.set(datetime(2026, 9, 28, 9, 0, tzinfo=ZoneInfo("Europe/London")))
    await run_due(slack.core, now=clock.now())
    chased = slack.fake.posts_to("DU0SAM")
    assert "has had no answer since it was sent" in slack.fake.texts(chased)
    assert "Robin" not in chased[-1]["text"]


async def test_an_unacknowledged_concern_on_slack_goes_again_and_to_the_senco(
    slack: SlackDriver, clock: ManualClock
) -> None:
    slack.core.dsls = (("slack", "U0JO"),)
    await slack.command("U0TOM", "concern", channel="DU0TOM")  # from a direct message: no case at all
    (button,) = [
        b for b in buttons_in([slack.fake.responses[-1]]) if json.loads(b["value"])["a"] == "form.open"
    ]
    await slack.interactive(
        press_payload("U0TOM", button, channel="DU0TOM", response_url=slack.fake.response_url())
    )
    view = slack.fake.called("views.open")[-1]["view"]
    await slack.interactive(view_payload("U0TOM", view, _state(view, CONCERN), kind="view_submission"))
    assert len(slack.fake.posts_to("DU0JO")) == 1 and slack.fake.posts_to("DU0SAM") == []
    clock.set(datetime(2026, 9, 14, 10, 30, tzinfo=ZoneInfo("Europe/London")))  # 1 working hour on
    await run_due(slack.core, now=clock.now())
    again = slack.fake.posts_to("DU0JO")
    assert len(again) == 2 and "not yet acknowledged" in slack.fake.texts(again[-1:])
    assert "scared of his brother" in slack.fake.texts(slack.fake.posts_to("DU0SAM"))
    assert "Robin" not in slack.fake.posts_to("DU0SAM")[-1]["text"]
