"""The subject access export as files: JSON per table, the pupil's details, the third parties, a README
and one readable PDF (the plan export's renderer), zipped for the DPO."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.forms.answers import display
from handlers.forms.library import FormLibrary
from handlers.governance.sar import Export
from handlers.plan.export.content import Document, Section, Table
from handlers.plan.export.pdf import render_pdf, unicode_font
from handlers.render import role_label

MARK = "[third party: review before release]"


def _name(export: Export, person_id: object) -> str:
    person = export.people.get(person_id) if isinstance(person_id, int) else None
    if person is None:
        return "TAC Bot" if person_id is None else f"person {person_id}"
    return f"{person.display_name or person.external_id} {MARK}"


def _when(value: object, tz: ZoneInfo) -> str:
    if not isinstance(value, str) or not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment.astimezone(tz):%d %b %Y %H:%M}" if moment.tzinfo else f"{moment:%d %b %Y}"


def _table(
    headers: tuple[str, ...], rows: Iterable[tuple[str, ...]], widths: tuple[int, ...]
) -> Table | None:
    listed = tuple(rows)
    return Table(headers, listed, widths) if listed else None


def _inputs(export: Export, forms: FormLibrary, tz: ZoneInfo) -> list[Section]:
    sections: list[Section] = []
    versions = export.tables["form_submissions"]
    for request in export.tables["input_requests"]:
        form = forms.get(request["form_id"])
        title = form.title if form else request["form_id"]
        lines = [
            f"Asked of {_name(export, request['requested_of_id'])} on {_when(request['created_at'], tz)}; "
            f"due {request['due']}; {request['state']}."
        ]
        shared = [x for x in export.tables["input_shares"] if x["request_id"] == request["id"]]
        lines += [
            f"Version {x['version']} shared with the team on {_when(x['shared_at'], tz)}." for x in shared
        ]
        for sub in (v for v in versions if v["request_id"] == request["id"]):
            lines.append(
                f"Version {sub['version']}, submitted {_when(sub['submitted_at'], tz)} by "
                f"{_name(export, sub['submitted_by_id'])}:"
            )
            answers: dict[str, Any] = sub["answers"] or {}
            for key, value in answers.items():
                field = form.field(key) if form else None
                label = field.label if field else key
                if field is not None and field.options_from == "team" and isinstance(value, list):
                    shown = ", ".join(_name(export, int(v)) if str(v).isdigit() else str(v) for v in value)
                else:
                    shown = display(field, value) if field else str(value)
                lines.append(f"    {label}: {shown}")
        sections.append(Section(f"Input {request['number']}: {title}", tuple(lines)))
    if not sections:
        sections.append(Section("Inputs", ("No inputs were requested.",)))
    return sections


def build_document(export: Export, *, forms: FormLibrary, tz: ZoneInfo, produced: datetime) -> Document:
    case = export.case
    t = export.tables
    about = Section(
        "About this export",
        (
            f"Everything TAC Bot holds about the pupil of {case.reference}, produced "
            f"{produced.astimezone(tz):%d %b %Y %H:%M}.",
            f"Names of other people are marked {MARK}: the DPO decides what of them is released. Free-text "
            "answers may also mention third parties: read them before release.",
            "Messages posted in the case room and direct messages live on the chat platform (Slack or "
            "Teams) too: the school exports those from the platform.",
        ),
    )
    details = export.details
    pupil = Section(
        "The pupil",
        (
            f"Case {case.reference}, known in chat as {case.alias}; year {case.year_group or '-'}; "
            f"route {case.route}.",
            f"Opened {case.opened_at.astimezone(tz):%d %b %Y}; {case.status}"
            + (
                f" on {case.closed_at.astimezone(tz):%d %b %Y} ({case.close_reason or 'no reason given'})"
                if case.closed_at
                else ""
            )
            + ".",
            export.details_note,
            *(
                (
                    f"Full name: {details.full_name}",
                    f"Date of birth: {details.date_of_birth:%d %b %Y}"
                    if details.date_of_birth
                    else "Date of birth: -",
                    f"UPN: {details.upn or '-'}",
                )
                if details
                else ()
            ),
        ),
    )
    consent = Section(
        "Consent",
        () if t["consents"] else ("No consent was recorded.",),
        _table(
            ("Date", "Consent", "By", "Relationship", "Scope", "Recorded by"),
            (
                (
                    _when(c["recorded_at"], tz),
                    c["kind"],
                    f"{c['by_name']} {MARK}",
                    c["relationship"],
                    c["scope"],
                    _name(export, c["recorded_by_id"]),
                )
                for c in t["consents"]
            ),
            (2, 2, 4, 2, 2, 4),
        ),
    )
    team = Section(
        "The team",
        (),
        _table(
            ("Name", "Role", "Agency", "Added", "Left"),
            (
                (
                    _name(export, m["person_id"]),
                    role_label(m["role"]),
                    m["agency"] or "-",
                    _when(m["added_at"], tz),
                    _when(m["removed_at"], tz),
                )
                for m in t["memberships"]
            ),
            (5, 3, 3, 2, 2),
        ),
    )
    plan = Section(
        "The plan",
        tuple(
            f"Outcome {o['number']}: {o['text']} (how we will know: {o['measure'] or '-'})"
            for o in t["outcomes"]
        ),
        _table(
            ("No.", "Action", "Owner", "Due", "Status"),
            (
                (str(a["number"]), a["what"], _name(export, a["owner_id"]), str(a["due"]), a["status"])
                for a in t["actions"]
            ),
            (1, 6, 4, 2, 2),
        ),
    )
    reviews = Section(
        "Reviews and minutes",
        tuple(
            f"Review {r['number']} ({r['status']}), {_when(r['starts_at'], tz)}, {r['place'] or '-'}."
            + (f" Decided: {r['decided']}" if r["decided"] else "")
            + (f" Changes: {r['changes']}" if r["changes"] else "")
            for r in t["reviews"]
        )
        or ("No review meetings.",),
    )
    referrals = Section(
        "Referrals",
        () if t["referrals"] else ("No referrals.",),
        _table(
            ("No.", "To", "Why", "Made", "By", "State"),
            (
                (
                    str(r["number"]),
                    r["service_name"],
                    r["reason"] or "-",
                    _when(r["made_at"], tz),
                    _name(export, r["made_by_id"]),
                    f"{r['state']} ({_when(r['state_at'], tz)})" + (f": {r['note']}" if r["note"] else ""),
                )
                for r in t["referrals"]
            ),
            (1, 3, 5, 2, 3, 3),
        ),
    )
    family = Section(
        "Updates written for the family",
        tuple(f"{_when(u['drafted_at'], tz)} ({u['state']}): {u['text']}" for u in t["family_updates"])
        or ("None.",),
    )
    concerns = Section(
        "Safeguarding concerns",
        tuple(
            f"Concern {c['number']}: {c['state']}, raised {_when(c['raised_at'], tz)}. Its content is a "
            "safeguarding record held by the Designated Safeguarding Lead, who decides what is disclosed."
            for c in t["concerns"]
        )
        or ("None recorded from this case.",),
    )
    messages = Section(
        "Reminders and chasers the bot sent",
        () if t["reminders"] else ("None.",),
        _table(
            ("Sent", "About", "Step", "To"),
            (
                (
                    _when(r["sent_at"], tz),
                    f"{r['subject_kind']} {r['subject_id']}",
                    r["step"],
                    _name(export, r["recipient_id"]),
                )
                for r in t["reminders"]
                if r["state"] == "sent"
            ),
            (3, 3, 3, 5),
        ),
    )
    trail = Section(
        "Audit trail (who did or read what, when)",
        (),
        _table(
            ("When", "Who", "What", "Details"),
            (
                (
                    _when(e["at"], tz),
                    _name(export, e["actor_id"]),
                    e["action"],
                    json.dumps(e["detail"], ensure_ascii=False) if e["detail"] is not None else "(erased)",
                )
                for e in t["audit_events"]
            ),
            (3, 4, 3, 8),
        ),
    )
    third = Section(
        "Third parties named in this export (for the DPO)",
        tuple(
            f"{p.display_name or p.external_id} ({p.platform}:{p.external_id})"
            for p in export.people.values()
        )
        + tuple(f"{c['by_name']} (gave or withdrew consent)" for c in t["consents"]),
    )
    return Document(
        title=f"Subject access export: {case.reference}",
        subtitle="Confidential: special category data about a child, for the Data Protection Officer.",
        sections=(
            about,
            pupil,
            consent,
            team,
            *_inputs(export, forms, tz),
            plan,
            reviews,
            referrals,
            family,
            concerns,
            messages,
            trail,
            third,
        ),
    )


README = """Subject access export of {reference}, produced {produced} by TAC Bot.

- {reference}-subject-access.pdf: everything below, readable.
- pupil-details.json: the pupil's full name, date of birth and UPN (stored encrypted; decrypted here).
- tables/<table>.json: every database row about this pupil's case, as stored.
- third-parties.json: the other people these records name. They are marked for the DPO to review before
  anything is released (UK GDPR Art 15(4); DPA 2018 Sch 2 Part 3 para 16). Free-text answers in
  tables/form_submissions.json may name third parties too.

Not here: messages as shown in the chat platform (Slack, Teams). Export those from the platform.
"""


def build_zip(export: Export, *, forms: FormLibrary, tz: ZoneInfo, produced: datetime) -> bytes:
    ref = export.case.reference
    doc = build_document(export, forms=forms, tz=tz, produced=produced)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            f"{ref}/README.txt", README.format(reference=ref, produced=f"{produced:%Y-%m-%d %H:%M} UTC")
        )
        z.writestr(f"{ref}/{ref}-subject-access.pdf", render_pdf(doc, font_dir=unicode_font()))
        details = export.details.as_json() if export.details else None
        z.writestr(f"{ref}/pupil-details.json", _json({"note": export.details_note, "details": details}))
        third = [
            {
                "id": p.id,
                "name": p.display_name,
                "platform": p.platform,
                "user_id": p.external_id,
                "review_before_release": True,
            }
            for p in export.people.values()
        ]
        third += [
            {"name": c["by_name"], "named_as": "consent given or withdrawn by", "review_before_release": True}
            for c in export.tables["consents"]
        ]
        z.writestr(f"{ref}/third-parties.json", _json(third))
        for table, rows in export.tables.items():
            z.writestr(f"{ref}/tables/{table}.json", _json(rows))
    return buffer.getvalue()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
