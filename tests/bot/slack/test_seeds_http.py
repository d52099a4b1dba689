"""What the seeds ask beyond the case, on Slack over HTTP against the fake Web API."""

from __future__ import annotations

import json

from tests.directory import load_example
from tests.fakes.slack_driver import SlackDriver


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
