"""The pupil's details of a case (full name, date of birth, UPN), encrypted with ``storage.crypto``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import DataCipher, DataKeyError
from storage.models import PupilDetails


@dataclass(frozen=True, slots=True)
class Details:
    full_name: str
    date_of_birth: date | None
    upn: str

    def as_json(self) -> dict[str, str]:
        born = self.date_of_birth.isoformat() if self.date_of_birth else ""
        return {"full_name": self.full_name, "date_of_birth": born, "upn": self.upn}


def save(
    s: Session, *, case_id: int, details: Details, cipher: DataCipher, by_id: int, now: datetime
) -> bool:
    """Store (or replace) the details; True when they were new."""
    row = s.scalars(select(PupilDetails).where(PupilDetails.case_id == case_id)).one_or_none()
    token = cipher.encrypt_json(details.as_json())
    if row is None:
        s.add(PupilDetails(case_id=case_id, ciphertext=token, updated_by_id=by_id, updated_at=now))
        s.flush()
        return True
    row.ciphertext, row.updated_by_id, row.updated_at = token, by_id, now
    return False


def exists(s: Session, *, case_id: int) -> bool:
    return s.scalar(select(PupilDetails.id).where(PupilDetails.case_id == case_id)) is not None


def load(s: Session, *, case_id: int, cipher: DataCipher | None) -> Details | None:
    """The decrypted details, or None when there are none; ``DataKeyError`` without a working key."""
    row = s.scalars(select(PupilDetails).where(PupilDetails.case_id == case_id)).one_or_none()
    if row is None:
        return None
    if cipher is None:
        raise DataKeyError("pupil details are stored but TACBOT_DATA_KEY is not set")
    raw = cipher.decrypt_json(row.ciphertext)
    born = str(raw.get("date_of_birth") or "")
    return Details(
        full_name=str(raw.get("full_name", "")),
        date_of_birth=date.fromisoformat(born) if born else None,
        upn=str(raw.get("upn", "")),
    )


def rotate_all(s: Session, *, cipher: DataCipher) -> int:
    """Re-encrypt every stored value with the newest key (after a new key was put first)."""
    rows = s.scalars(select(PupilDetails)).all()
    for row in rows:
        row.ciphertext = cipher.rotate(row.ciphertext)
    return len(rows)
