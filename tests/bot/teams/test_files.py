"""Files on Teams: plan documents to the channel's Files through Graph; a review's .ics by file consent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.teams.files import CONSENT_CONTENT_TYPE, INFO_CONTENT_TYPE, MAX_OFFERED
from bot.teams.graph import safe_filename
from handlers.platform import PlatformError
from handlers.replies import Attachment, Reply
from tests.bot.teams.cardcheck import assert_valid_card
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE, Sent
from tests.bot.teams.fixtures import TENANT, recorded

pytestmark = pytest.mark.asyncio


async def _case_room(teams: TeamsHarness) -> str:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    return next(iter(teams.graph.channels))


def _content(sent: Sent) -> dict[str, Any]:
    [attachment] = sent.activity["attachments"]
    content: dict[str, Any] = attachment["content"]
    return content


async def test_plan_export_goes_to_the_channel_files_with_a_link_card(teams: TeamsHarness) -> None:
    room = await _case_room(teams)
    reply = await teams.say("sam", "plan export", room=room)
    assert "Posted the plan of TAC-0001 to its room as Word and PDF" in reply
    assert teams.graph is not None
    files = teams.graph.files[room]
    assert sorted(files) == ["TAC-0001-plan-2026-09-14.docx", "TAC-0001-plan-2026-09-14.pdf"]
    assert files["TAC-0001-plan-2026-09-14.pdf"].startswith(b"%PDF")
    assert files["TAC-0001-plan-2026-09-14.docx"].startswith(b"PK")
    links = [s for s in teams.room_posts(room) if "in this channel's Files" in s.text]
    assert len(links) == 2
    for link in links:
        card = _content(link)
        assert_valid_card(card)
        [button] = card["actions"]
        assert button["type"] == "Action.OpenUrl" and button["url"].startswith(
            "https://oakprimary.sharepoint"
        )
    assert "Joint agency plan TAC-0001 (Word)" in links[0].text
    folder = [c for c in teams.graph.calls if c[1].endswith("/filesFolder")]
    assert folder and folder[0][0] == "GET"


async def test_without_graph_a_document_is_refused_saying_what_to_configure(
    teams_threads: TeamsHarness,
) -> None:
    t = teams_threads
    await t.say("sam", "open Robin")
    thread = next(s.conversation for s in t.connector.sent if ";messageid=" in s.conversation)
    reply = await t.say("sam", "plan export", room=thread)
    assert "could not be posted as Word" in reply and "needs Microsoft Graph" in reply
    assert "TACBOT_TEAMS_TEAM_ID" in reply and "Files.ReadWrite.All" in reply


async def test_a_channel_whose_files_are_not_ready_is_reported(teams: TeamsHarness) -> None:
    await teams.say("sam", "help")
    with pytest.raises(PlatformError, match="Files folder is not ready yet"):
        await teams.platform.upload_file(
            workspace=TENANT, room_id="19:nosuch@thread.tacv2", filename="a.pdf", content=b"%PDF", title="A"
        )


def _invitation(size: int = 0) -> Reply:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" if not size else b"x" * size
    text = Reply.text("Review meeting for TAC-0001: Tue 20 Oct 2026 at 14:30 (60 min), Meeting room 2.")
    return replace(text, attachments=(Attachment("TAC-0001-review.ics", content, "text/calendar"),))


async def _consent(teams: TeamsHarness, offer: Sent, action: str, **changes: Any) -> list[Sent]:
    """The person presses Allow (or Decline) on the file consent card: Teams sends this invoke."""
    activity = recorded("file_consent_invoke")
    activity.update(serviceUrl=teams.connector.url, replyToId=offer.id)
    card = _content(offer)
    value = activity["value"]
    value["action"] = action
    value["context"] = card["acceptContext"] if action == "accept" else card["declineContext"]
    value["uploadInfo"]["uploadUrl"] = teams.connector.url + "onedrive/upload/TAC-0001-review.ics"
    value.update(changes)
    before = len(teams.connector.sent)
    response = await teams.client.post("/api/messages", json=activity)
    assert response.status == 200
    return teams.connector.sent[before:]


async def test_a_direct_message_offers_its_ics_and_allow_saves_it(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")
    message = _invitation()
    await teams.platform.direct_message(workspace=TENANT, user_id=PEOPLE["tom"].id, reply=message)
    text, offer = teams.connector.to("a:1tomPersonalChat")[-2:]
    assert "Tue 20 Oct 2026 at 14:30" in text.text
    [attachment] = offer.activity["attachments"]
    assert attachment["contentType"] == CONSENT_CONTENT_TYPE and attachment["name"] == "TAC-0001-review.ics"
    assert attachment["content"]["sizeInBytes"] == len(message.attachments[0].content)

    [shown] = await _consent(teams, offer, "accept")
    assert teams.connector.uploads["TAC-0001-review.ics"] == (message.attachments[0].content, "bytes 0-31/32")
    [info] = shown.activity["attachments"]
    assert info["contentType"] == INFO_CONTENT_TYPE and info["name"] == "TAC-0001-review.ics"
    assert info["content"] == {"uniqueId": "1E3B7C2F-A4D5-4F6A-9E8D-7C6B5A4F3E2D", "fileType": "ics"}


async def test_decline_and_a_forged_context_upload_nothing(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")
    await teams.platform.direct_message(workspace=TENANT, user_id=PEOPLE["tom"].id, reply=_invitation())
    offer = teams.connector.to("a:1tomPersonalChat")[-1]
    [declined] = await _consent(teams, offer, "decline")
    assert "Not saved" in declined.text
    [forged] = await _consent(teams, offer, "accept", context={"filename": "x.ics", "content": "%%%"})
    assert "no longer on offer" in forged.text
    assert teams.connector.uploads == {}


async def test_a_file_too_big_to_offer_leaves_the_message_alone(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")
    before = len(teams.connector.sent)
    big = _invitation(size=MAX_OFFERED + 1)
    await teams.platform.direct_message(workspace=TENANT, user_id=PEOPLE["tom"].id, reply=big)
    [only] = teams.connector.sent[before:]
    assert "Review meeting for TAC-0001" in only.text


async def test_a_room_message_with_a_file_puts_it_in_the_channel_files(teams: TeamsHarness) -> None:
    room = await _case_room(teams)
    await teams.platform.post(workspace=TENANT, room_id=room, reply=_invitation())
    assert teams.graph is not None and "TAC-0001-review.ics" in teams.graph.files[room]
    assert "TAC-0001-review.ics is in this channel's Files" in teams.room_posts(room)[-1].text


async def test_a_file_name_sharepoint_refuses_is_made_safe(teams: TeamsHarness) -> None:
    room = await _case_room(teams)
    await teams.platform.upload_file(
        workspace=TENANT, room_id=room, filename='Robin: plan "v2"?.pdf', content=b"%PDF", title="Plan"
    )
    assert teams.graph is not None and list(teams.graph.files[room]) == ["Robin- plan -v2--.pdf"]
    assert safe_filename(" .. ") == "document" and safe_filename("a#b%c.ics") == "a-b-c.ics"


async def test_a_review_typed_in_teams_offers_each_member_its_invitation(teams: TeamsHarness) -> None:
    await teams.say("tom", "help")
    room = await _case_room(teams)
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    reply = await teams.say("sam", 'review on 20/10/2026 at 14:30 where "Meeting room 2"', room=room)
    assert "Invitations (.ics) sent to 2 members" in reply
    message, offer = teams.connector.to("a:1tomPersonalChat")[-2:]
    assert "Tue 20 Oct 2026 at 14:30" in message.text and "Meeting room 2" in message.text
    [attachment] = offer.activity["attachments"]
    assert attachment["contentType"] == CONSENT_CONTENT_TYPE and attachment["name"] == "TAC-0001-review.ics"
    assert "Tue 20 Oct 2026 at 14:30" in teams.room_posts(room)[-1].text
    assert teams.graph is not None and teams.graph.files.get(room, {}) == {}  # the room's notice has no file
    [saved] = await _consent(teams, offer, "accept")
    ics, _ = teams.connector.uploads["TAC-0001-review.ics"]
    assert b"BEGIN:VCALENDAR" in ics and b"Meeting room 2" in ics
    assert saved.activity["attachments"][0]["contentType"] == INFO_CONTENT_TYPE
