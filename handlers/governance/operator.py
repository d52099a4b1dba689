"""What the operator's `tacbot` commands share: finding a case by reference across the deployment, and
the subject access export as a use case (audited)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.errors import NotFound, UsageError
from handlers.forms.library import FormLibrary
from handlers.forms.schools import school_library
from handlers.governance.sar import collect
from handlers.governance.sar_document import build_zip
from storage import audit
from storage.crypto import DataCipher
from storage.engine import Database
from storage.models import Case, School


def find_case(s: Session, *, reference: str, school: tuple[str, str] | None) -> Case:
    """The case ``TAC-0007`` of ``school`` (platform, workspace id), or of the one school that has it."""
    ref = reference.strip().upper()
    if ref.startswith("TAC-") and ref[4:].isdigit():
        ref = f"TAC-{int(ref[4:]):04d}"
    query = select(Case).join(School, School.id == Case.school_id).where(Case.reference == ref)
    if school is not None:
        query = query.where(School.platform == school[0], School.external_id == school[1])
    found = s.scalars(query).all()
    if not found:
        raise NotFound(f"There is no case {ref}" + (f" in {school[0]}:{school[1]}." if school else "."))
    if len(found) > 1:
        raise UsageError(f"{len(found)} schools have a case {ref}: say which with --school <platform>:<id>.")
    if found[0].status == "erased":
        raise NotFound(f"{ref} was erased: nothing is held about it but its audit tombstone.")
    return found[0]


def export_pupil(
    db: Database,
    *,
    reference: str,
    school: tuple[str, str] | None,
    cipher: DataCipher | None,
    forms: FormLibrary,
    tz: ZoneInfo,
    now: datetime,
    by: str,
) -> tuple[str, bytes]:
    """The zip of everything held about the pupil of one case; the export itself is audited."""
    with db.transaction() as s:
        case = find_case(s, reference=reference, school=school)
        audit.record(  # first, so the export lists itself; rolled back if it fails
            s,
            action="case.subject_access_export",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            by=by,
            why="subject access request",
        )
        export = collect(s, case=case, cipher=cipher)
        own = school_library(forms, s, case.school_id)  # the school's own forms name their fields too
        return case.reference, build_zip(export, forms=own, tz=tz, produced=now)
