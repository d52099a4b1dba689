"""`tacbot demo`: a whole case, start to close, through the real handlers and storage, in simulated time."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import add_sencos, build_core, open_database
from bot.console import demo_outside, demo_seeds
from bot.console.forms import form_request_ids
from bot.console.platform import ConsolePlatform, Delivery
from bot.console.render import render
from bot.console.school import BY_HANDLE, DSL, SENCO
from bot.console.session import ConsoleBot
from bot.mail.printed import PrintedMailer
from bot.settings import Settings
from handlers.clock import ManualClock
from handlers.governance.operator import export_pupil
from handlers.replies import Button, Buttons, Reply
from storage.crypto import new_key
from storage.repo.people import find_person


@dataclass(frozen=True, slots=True)
class Say:
    who: str
    text: str
    room: str | None = None


@dataclass(frozen=True, slots=True)
class Wait:
    delta: timedelta
    why: str


@dataclass(frozen=True, slots=True)
class Run:
    """A step that is not somebody typing (the reminder clock ticking, a form being filled in)."""

    label: str
    action: Callable[[ConsoleBot, ManualClock], Awaitable[None]]


Step = Say | Wait | Run

EP_ADVICE: dict[str, object] = {
    "involvement": "Visited twice in September: observed Robin in literacy and at lunch, "
    "met Mr Reid and Mrs Taylor.",
    "assessments": "BAS3 verbal and non-verbal reasoning; phonological awareness screen; "
    "classroom observation.",
    "child_views": "Robin says reading is 'too hard, the letters jump', but he loves building things.",
    "parent_views": "Mrs Taylor is worried about Robin's confidence; he avoids reading at home.",
    "strengths": "Persistent, kind to others, strong visual and spatial reasoning; "
    "works well with a partner.",
    "primary_area": "cognition-learning",
    "needs_cognition": "Phonological processing well below age expectations; slow to decode; "
    "good comprehension.",
    "outcomes": "By July, Robin reads a short book aloud to an adult each week and says he enjoys it.",
    "provision": "Daily structured phonics, 20 minutes, groups of up to 4, delivered by a trained TA; "
    "reviewed every 6 weeks by the class teacher.",
    "further_involvement": "yes",
}


async def _anna_answers(bot: ConsoleBot, clock: ManualClock) -> None:
    """Anna presses Open form in her DM and answers the questions (the console's Q&A, scripted)."""
    request_id = bot.form_requests("anna")[-1]
    text = await bot.fill_form("anna", request_id, EP_ADVICE)
    print_to = bot.platform.on_delivery
    if print_to is not None:
        print_to(Delivery(room=None, user="anna", reply=Reply.text(text)))


async def _sam_records_the_review(bot: ConsoleBot, clock: ManualClock) -> None:
    """Sam answers the review-record form that bare `review record` gave him (the console's Q&A, scripted)."""
    request_id = form_request_ids([bot.replies[-1][1]])[-1]
    with bot.core.db.transaction() as s:
        came = [
            str(p.id)
            for handle in ("sam", "tom", "anna", "jo")
            if (p := find_person(s, platform="console", external_id=handle)) is not None
        ]
    answers: dict[str, object] = {
        "attendees": came,
        "decided": "Keep the phonics group; Anna to assess reading",
        "changes": "Anna's reading assessment stays; no new actions",
        "next_date": "2026-12-15",
        "next_time": "15:30",
    }
    text = await bot.fill_form("sam", request_id, answers)
    print_to = bot.platform.on_delivery
    if print_to is not None:
        print_to(Delivery(room=None, user="sam", reply=Reply.text(text)))


PUPIL: dict[str, object] = {
    "full_name": "Robin James Taylor",
    "date_of_birth": "2017-05-12",
    "upn": "H801200001001",
}


async def _sam_gives_pupil_details(bot: ConsoleBot, clock: ManualClock) -> None:
    """Sam answers the private pupil-details form (the console's Q&A, scripted): encrypted, never shown."""
    request_id = form_request_ids([bot.replies[-1][1]])[-1]
    text = await bot.fill_form("sam", request_id, PUPIL)
    bot.replied("sam", Reply.text(text))


async def _dpo_exports(bot: ConsoleBot, clock: ManualClock) -> None:
    """The school's DPO answers a subject access request: `tacbot export pupil TAC-0001 --out sar.zip`."""
    reference, content = export_pupil(
        bot.core.db,
        reference="TAC-0001",
        school=None,
        cipher=bot.core.cipher,
        forms=bot.core.forms,
        tz=bot.core.tz,
        now=clock.now(),
        by="tacbot export pupil",
    )
    files = [f"{i.filename} ({i.file_size:,} bytes)" for i in zipfile.ZipFile(io.BytesIO(content)).infolist()]
    summary = f"$ tacbot export pupil {reference} --out sar.zip\n" + "\n".join(files)
    bot.replied("administrator", Reply.text(summary))


async def reminder_clock_ticks(bot: ConsoleBot, clock: ManualClock) -> None:
    """One pass of "send what is due" at the demo clock's time, as the clock in `serve` does every 30 s."""
    from handlers.chasing.delivery import run_due

    await run_due(bot.core, now=clock.now())


def _latest_button(bot: ConsoleBot, handle_: str, label: str) -> Button:
    """The ``label`` button of the latest reminder ``handle_`` was sent."""
    chaser = next(d for d in reversed(bot.sent_to(user=handle_)) if "Reminder:" in d.text)
    return next(
        b
        for block in chaser.reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.label == label
    )


async def _sam_confirms(bot: ConsoleBot, clock: ManualClock) -> None:
    asked = bot.replies[-1][1]
    confirm = next(
        b
        for block in asked.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.label == "Confirm"
    )
    await bot.press("sam", confirm.action, confirm.value, room="tac-0001")


async def tom_presses_done(bot: ConsoleBot, clock: ManualClock) -> None:
    """Tom answers the chaser in his DMs with its Done button."""
    done = _latest_button(bot, "tom", "Done")
    await bot.press("tom", done.action, done.value)


async def anna_needs_more_time(bot: ConsoleBot, clock: ManualClock) -> None:
    """Anna answers her chaser with Need more time and picks Friday as the new date."""
    later = _latest_button(bot, "anna", "Need more time")
    friday = (clock.now() + timedelta(days=4)).date().isoformat()
    await bot.press("anna", later.action, later.value, inputs={"date": friday})


SCRIPT: list[Step] = [
    Say("sam", "/tac open Robin year 4 route sen-support"),
    Say("sam", '/tac consent given by "Jo Taylor" relationship parent scope all', room="tac-0001"),
    Say("sam", '/tac invite @anna educational-psychologist agency "County EP Service"', room="tac-0001"),
    Say("sam", "/tac invite @tom class-teacher champion", room="tac-0001"),
    Say("sam", "/tac invite @jo parent-carer", room="tac-0001"),
    Say(
        "sam",
        '/tac purpose "Robin enjoys reading and feels confident in class by the summer"',
        room="tac-0001",
    ),
    Run(
        "An administrator loads the school's service directory (the example shipped)",
        demo_seeds.load_directory,
    ),
    Say("sam", "/tac services"),
    Say("sam", '/tac refer salt reason "Speech is hard to follow in class"', room="tac-0001"),
    Say("sam", "/tac referral 1 sent", room="tac-0001"),
    Say("anna", "/tac define provision"),
    Say("sam", "/tac forms", room="tac-0001"),
    Say("sam", "/tac request ep-advice from @anna due in 2 weeks", room="tac-0001"),
    Say(
        "sam",
        '/tac invite external "Kim Shah" kim.shah@nhs.example speech-and-language-therapist '
        'agency "NHS Speech and Language Therapy"',
        room="tac-0001",
    ),
    Say("sam", '/tac request salt-advice from "Kim Shah" due in 3 weeks', room="tac-0001"),
    Run(
        "The reminder clock ticks: Kim Shah is outside the workspace, so her welcome and the form request "
        "go by e-mail (the case by reference only; the details behind her personal link)",
        reminder_clock_ticks,
    ),
    Run(
        "Kim opens her link and submits the form on the portal, in her browser",
        demo_outside.kim_answers_on_the_portal,
    ),
    Wait(timedelta(days=14), "two weeks pass: Dr Novak's advice is due today"),
    Run("The reminder clock ticks: the advice is due today, so Dr Novak is chased", reminder_clock_ticks),
    Run("@anna presses [Need more time] on the chaser and picks Friday", anna_needs_more_time),
    Wait(timedelta(days=3), "Dr Novak visits Robin"),
    Run("Dr Anna Novak opens the form from her DM and answers it (no more chasers)", _anna_answers),
    Say("sam", "/tac inputs", room="tac-0001"),
    Say("sam", "/tac input 1", room="tac-0001"),
    Say("sam", '/tac share input 1 reason "so the team can plan with it"', room="tac-0001"),
    Say("sam", "/tac pupil details", room="tac-0001"),
    Run("Sam fills in the pupil's details: kept encrypted, never shown in chat", _sam_gives_pupil_details),
    Say("sam", '/tac outcome add "Robin reads a short book aloud to an adult each week"', room="tac-0001"),
    Say("sam", '/tac outcome measure 1 "Reading log: 3 of 4 weeks by Christmas"', room="tac-0001"),
    Say(
        "sam",
        '/tac action add "Phonics catch-up group" owner @tom due in 2 weeks '
        'where "Library" often "3x weekly" cost "30 min" outcome 1',
        room="tac-0001",
    ),
    Say(
        "sam",
        '/tac action add "Reading assessment" owner @anna due in 4 weeks cost "£120" outcome 1',
        room="tac-0001",
    ),
    Say("sam", '/tac referral 1 waiting 18 weeks note "On the waiting list"', room="tac-0001"),
    Say("tom", "/tac concern", room="tac-0001"),
    Run(
        "Tom fills in the private safeguarding form (it never reaches the room)",
        demo_seeds.tom_fills_in_the_concern,
    ),
    Run("@dee, the Designated Safeguarding Lead, presses [Acknowledge]", demo_seeds.dee_acknowledges),
    Wait(timedelta(days=14), "two weeks pass: the action is due today"),
    Run("The reminder clock ticks: chasers due now go out (working hours, school day)", reminder_clock_ticks),
    Wait(timedelta(days=1), "the next day"),
    Say("tom", "/tac status", room="tac-0001"),
    Run("The reminder clock ticks: the action is a school day overdue", reminder_clock_ticks),
    Run("@tom presses [Done] on the chaser", tom_presses_done),
    Say("sam", "/tac plan", room="tac-0001"),
    Say("sam", "/tac update family", room="tac-0001"),
    Run("Sam presses [Edit] and adds a line to the family update", demo_seeds.sam_edits_the_family_update),
    Say("sam", "/tac update family send", room="tac-0001"),
    Say("sam", "/tac plan export", room="tac-0001"),
    Say("sam", "/tac review poll 3/11 14:30, 5/11 09:00", room="tac-0001"),
    Run("The reminder clock ticks: Kim Shah gets the date poll by e-mail", reminder_clock_ticks),
    Run(
        "Kim answers the date poll on the portal, from the e-mail's link",
        demo_outside.kim_answers_the_poll_on_the_portal,
    ),
    Run("the team answer the date poll with its buttons", lambda bot, clock: _answer_poll(bot)),
    Say("sam", "/tac review poll", room="tac-0001"),
    Say("sam", '/tac review pick 1 where "Meeting room 2"', room="tac-0001"),
    Wait(timedelta(days=11), "the week before the meeting"),
    Run("The reminder clock ticks: the pre-meeting pack is due (a week before)", reminder_clock_ticks),
    Wait(timedelta(days=7, hours=6), "after the review meeting"),
    Say("sam", "/tac referral 1 seen", room="tac-0001"),
    Say("sam", "/tac referrals", room="tac-0001"),
    Say("sam", "/tac review record", room="tac-0001"),
    Run("Sam presses Open form and fills in the record of the meeting", _sam_records_the_review),
    Say("priya", "/tac define annual review"),
    Say("sam", "/tac team", room="tac-0001"),
    Say("dan", "/tac status case TAC-0001"),
    Say("sam", "/tac audit", room="tac-0001"),
    Say(
        "sam", '/tac close reason "Targets met; support continues through the class teacher"', room="tac-0001"
    ),
    Run("Work is still open, so TAC Bot asked first: Sam presses [Confirm]", _sam_confirms),
    Run("The school's DPO answers a subject access request for Robin", _dpo_exports),
]


async def _answer_poll(bot: ConsoleBot) -> None:
    """Each member presses a button for each slot of the poll they were sent (one changes their mind)."""
    answers = {
        "sam": ("can", "can"),
        "tom": ("can", "cannot"),
        "anna": ("maybe", "can"),
        "jo": ("can", "maybe"),
    }
    for handle, picks in answers.items():
        poll = bot.sent_to(user=handle)[-1].reply
        rows = [b for b in poll.blocks if isinstance(b, Buttons)]
        for row, pick in zip(rows, picks, strict=False):
            button = next(b for b in row.buttons if b.action == f"poll.{pick}")
            await bot.press(handle, button.action, button.value)
    first = next(b for b in bot.sent_to(user="anna")[-1].reply.blocks if isinstance(b, Buttons))
    change = next(b for b in first.buttons if b.action == "poll.can")
    await bot.press("anna", change.action, change.value)  # Anna finds she can make slot 1 after all


def _when(clock: ManualClock, settings: Settings) -> str:
    return clock.now().astimezone(settings.tz).strftime("%a %d %b %Y %H:%M")


async def run_demo(out: TextIO, *, script: list[Step] | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="tacbot-demo-") as tmp:
        settings = Settings(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'demo.db'}",
            TACBOT_SENCOS="",
            TACBOT_DATA_KEY=SecretStr(new_key()),
        )
        clock = ManualClock(datetime(2026, 9, 14, 8, 30, tzinfo=UTC))

        def show(delivery: Delivery) -> None:
            where = f"#{delivery.room}" if delivery.room else f"DM to @{delivery.user}"
            out.write(f"    [{where}] TAC Bot:\n{_indent(delivery.text, 8)}\n")

        platform = ConsolePlatform(on_delivery=show, export_dir=Path(tmp) / "files")
        db = open_database(settings)
        try:

            def mailed(text: str) -> None:
                out.write(f"    [e-mail] TAC Bot:\n{_indent(text, 8)}\n")

            mailer = PrintedMailer(mailed)
            core = build_core(settings, db=db, clock=clock, platforms={"console": platform}, mailer=mailer)
            add_sencos(db, [("console", SENCO)], clock=clock, added_by="demo")
            core.dsls = (("console", DSL),)
            bot = ConsoleBot(core=core, platform=platform)
            out.write(
                f"TAC Bot demo: one case, start to close, in simulated time ({_when(clock, settings)}).\n"
            )
            for step in script or SCRIPT:
                if isinstance(step, Wait):
                    clock.advance(step.delta)
                    out.write(f"\n--- {step.why}: now {_when(clock, settings)} ---\n")
                elif isinstance(step, Run):
                    out.write(f"\n* {step.label}\n")

                    def said(who: str, answer: Reply) -> None:  # as it happens, among the DMs it causes
                        out.write(f"    (reply, only to @{who}):\n{_indent(render(answer), 8)}\n")

                    bot.on_reply = said
                    try:
                        await step.action(bot, clock)
                    finally:
                        bot.on_reply = None
                else:
                    where = f"#{step.room}" if step.room else "DM"
                    out.write(f"\n{BY_HANDLE[step.who].name} (@{step.who}, {where}): {step.text}\n")
                    text = await bot.exec(step.who, step.text, room=step.room)
                    out.write(f"    (reply, only to @{step.who}):\n{_indent(text, 8)}\n")
                clock.advance(timedelta(minutes=5))
            out.write("\nDemo finished.\n")
        finally:
            db.dispose()
    return 0


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())
