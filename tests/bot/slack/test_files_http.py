"""Files on Slack over signed HTTP: the exported plan into the room, .ics invitations into DMs."""

from __future__ import annotations

import io
import json

from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from tests.bot.slack.test_slack_http import open_case
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_driver import SlackDriver

UPLOAD_STEPS = ["files.getUploadURLExternal", "files.completeUploadExternal"]


async def planned(slack: SlackDriver) -> str:
    room = await open_case(slack)
    await slack.command("U0SAM", 'consent given by "Mrs Smith" relationship parent scope all', channel=room)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    await slack.command("U0SAM", "invite <@U0ANNA|anna> educational-psychologist", channel=room)
    await slack.command(
        "U0SAM",
        'outcome add "Robin reads 3 short books aloud by July 2027" measure "reading log"',
        channel=room,
    )
    await slack.command(
        "U0SAM",
        'action add "Phonics" owner <@U0TOM|tom> due in 2 weeks cost "30 min" outcome 1',
        channel=room,
    )
    return room


def upload_calls(fake: FakeSlack) -> list[str]:
    return [c.method for c in fake.calls if c.method.startswith("files.")]


async def test_plan_export_puts_word_and_pdf_in_the_case_room(slack: SlackDriver) -> None:
    room = await planned(slack)
    await slack.command("U0SAM", "plan export", channel=room)
    assert "Posted the plan of TAC-0001" in slack.replies()
    word, pdf = slack.fake.shared_to(room)
    assert (word.filename, pdf.filename) == ("TAC-0001-plan-2026-09-14.docx", "TAC-0001-plan-2026-09-14.pdf")
    assert word.title == "Joint agency plan TAC-0001 (Word)" and pdf.title.endswith("(PDF)")
    assert upload_calls(slack.fake) == UPLOAD_STEPS * 2
    assert word.data is not None and pdf.data is not None
    document = Document(io.BytesIO(word.data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Robin reads 3 short books aloud by July 2027" in "\n".join(cells)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Robin reads 3 short books aloud" in text


async def test_only_the_key_worker_exports_and_nothing_is_uploaded_otherwise(slack: SlackDriver) -> None:
    room = await planned(slack)
    await slack.command("U0TOM", "plan export", channel=room)
    assert "key worker" in json.dumps(slack.fake.responses[-1]).lower()
    assert slack.fake.files == {}


async def test_an_upload_slack_refuses_is_explained(slack: SlackDriver) -> None:
    room = await planned(slack)
    slack.fake.fail_next["files.completeUploadExternal"] = ["not_in_channel"]
    await slack.command("U0SAM", "plan export", channel=room)
    assert "could not be posted as Word" in slack.replies() and "add it back" in slack.replies()


async def test_review_invitations_arrive_as_ics_files_in_each_dm(slack: SlackDriver) -> None:
    room = await planned(slack)
    await slack.command("U0SAM", 'review on 20/10/2026 at 14:30 where "Meeting room 2"', channel=room)
    for user in ("U0SAM", "U0TOM", "U0ANNA"):
        dm = f"D{user}"
        assert "Review meeting for TAC-0001" in slack.fake.texts(slack.fake.posts_to(dm))
        (invite,) = slack.fake.shared_to(dm)
        assert invite.filename == "TAC-0001-review.ics" and invite.data is not None
        event = Calendar.from_ical(invite.data).walk("VEVENT")[0]
        assert event["location"] == "Meeting room 2"
        assert event["dtstart"].params["TZID"] == "Europe/London"
    assert slack.fake.shared_to(room) == []  # the room hears of it, without the files
    opened = [c.args["users"] for c in slack.fake.calls if c.method == "conversations.open"]
    assert {"U0SAM", "U0TOM", "U0ANNA"} <= set(opened)


async def test_uploads_ride_out_a_burst_of_429s_once_each(slack: SlackDriver, slept: list[float]) -> None:
    room = await planned(slack)
    slack.fake.rate_limited = 3
    await slack.command("U0SAM", "plan export", channel=room)
    assert [f.filename[-4:] for f in slack.fake.shared_to(room)] == ["docx", ".pdf"]
    assert upload_calls(slack.fake) == UPLOAD_STEPS * 2 and len(slept) == 3
