"""Bulk seeding for benchmarks/scale.py: schools, people, cases with teams, outcomes, actions and their
chasers, inserted straight into the database (executemany in chunks, ids assigned here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from storage.engine import Database
from storage.models import Action, Case, Membership, Outcome, Person, Reminder, School

CHUNK = 5_000
STAFF = 20  # people per filler school
TEAM = 3  # members per case (the key worker and two more)
ACTIONS = 3  # actions per case, each with one chaser queued
SCHOOL_DAYS = 60  # the queued chasers are spread over this many school days after the morning measured
PLATFORM = "fake"  # the filler schools' platform (the benchmark's instant one)


@dataclass
class Filler:
    """Where the filler schools are, and how many cases each has so far."""

    school_ids: list[int]
    staff: dict[int, list[int]]  # school id -> person ids
    cases: int = 0


def _next_id(s: Session, table: Table) -> int:
    return int(s.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _insert(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        s.execute(insert(table), chunk)


def _sync_sequences(s: Session, tables: list[Table]) -> None:
    """PostgreSQL: move each id sequence past the ids assigned here, so later inserts do not collide."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            )
        )


def add_schools(db: Database, *, schools: int, now: datetime) -> Filler:
    """``schools`` filler schools with their staff."""
    with db.transaction() as s:
        school_t, person_t = School.__table__, Person.__table__
        first_school, first_person = _next_id(s, school_t), _next_id(s, person_t)
        school_ids = list(range(first_school, first_school + schools))
        _insert(
            s,
            school_t,
            [
                {
                    "id": i,
                    "platform": PLATFORM,
                    "external_id": f"T{i:05d}",
                    "name": "",
                    "case_seq": 0,
                    "created_at": now,
                }
                for i in school_ids
            ],
        )
        staff: dict[int, list[int]] = {}
        people = []
        pid = first_person
        for i in school_ids:
            staff[i] = list(range(pid, pid + STAFF))
            people += [
                {
                    "id": p,
                    "platform": PLATFORM,
                    "external_id": f"U{p:07d}",
                    "display_name": f"Staff {p}",
                    "created_at": now,
                }
                for p in staff[i]
            ]
            pid += STAFF
        _insert(s, person_t, people)
        _sync_sequences(s, [school_t, person_t])
    return Filler(school_ids=school_ids, staff=staff)


def add_cases(db: Database, filler: Filler, *, cases: int, now: datetime, morning: date) -> int:
    """``cases`` more open cases spread over the filler schools, each with a team, an outcome, actions
    and one chaser per action queued on a school day after ``morning`` (none due at ``now``).
    Returns the rows inserted."""
    tables = [Case.__table__, Membership.__table__, Outcome.__table__, Action.__table__, Reminder.__table__]
    with db.transaction() as s:
        cid, mid, oid, aid, rid = (_next_id(s, t) for t in tables)
        numbers = dict(
            s.execute(select(School.id, School.case_seq).where(School.id.in_(filler.school_ids))).all()
        )
        rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}
        for n in range(cases):
            school = filler.school_ids[(filler.cases + n) % len(filler.school_ids)]
            numbers[school] += 1
            number = numbers[school]
            people = filler.staff[school]
            team = [people[(number + k) % len(people)] for k in range(TEAM)]
            rows["cases"].append(
                {
                    "id": cid,
                    "school_id": school,
                    "number": number,
                    "reference": f"TAC-{number:04d}",
                    "alias": f"Pupil {number}",
                    "year_group": "4",
                    "route": "sen-support",
                    "status": "open",
                    "key_worker_id": team[0],
                    "opened_at": now,
                }
            )
            rows["memberships"] += [
                {
                    "id": mid + k,
                    "case_id": cid,
                    "person_id": p,
                    "role": "key-worker" if k == 0 else "class-teacher",
                    "agency": None,
                    "champion": False,
                    "added_by_id": team[0],
                    "added_at": now,
                    "active": True,
                }
                for k, p in enumerate(team)
            ]
            rows["outcomes"].append(
                {
                    "id": oid,
                    "case_id": cid,
                    "number": 1,
                    "text": "Reads a short book aloud",
                    "measure": None,
                    "created_by_id": team[0],
                    "created_at": now,
                }
            )
            for k in range(ACTIONS):
                owner = team[k % TEAM]
                due_day = morning + timedelta(days=1 + (cid * ACTIONS + k) % (SCHOOL_DAYS * 7 // 5))
                rows["actions"].append(
                    {
                        "id": aid,
                        "case_id": cid,
                        "number": k + 1,
                        "outcome_id": oid,
                        "what": "Phonics group",
                        "owner_id": owner,
                        "due": due_day,
                        "status": "open",
                        "created_by_id": team[0],
                        "created_at": now,
                    }
                )
                rows["reminders"].append(
                    {
                        "id": rid,
                        "key": f"action:{aid}:{owner}:due:{due_day.isoformat()}",
                        "school_id": school,
                        "case_id": cid,
                        "subject_kind": "action",
                        "subject_id": aid,
                        "recipient_id": owner,
                        "step": "due",
                        "anchor": due_day.isoformat(),
                        "due_at": datetime.combine(due_day, now.timetz()),
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
                aid, rid = aid + 1, rid + 1
            cid, mid, oid = cid + 1, mid + TEAM, oid + 1
        for table in tables:
            _insert(s, table, rows[table.name])
        for school, number in numbers.items():
            s.execute(School.__table__.update().where(School.id == school).values(case_seq=number))
        _sync_sequences(s, tables)
    filler.cases += cases
    return sum(len(r) for r in rows.values())


def add_due(db: Database, filler: Filler, *, count: int, now: datetime, tag: str) -> list[int]:
    """``count`` chasers due at ``now`` on the filler schools' first cases' actions (the pass measured)."""
    with db.transaction() as s:
        actions = s.execute(
            select(Action.id, Action.case_id, Action.owner_id, Case.school_id)
            .join(Case, Case.id == Action.case_id)
            .where(Case.school_id.in_(filler.school_ids))
            .order_by(Action.id)
            .limit(count)
        ).all()
        first = _next_id(s, Reminder.__table__)
        rows = [
            {
                "id": first + i,
                "key": f"action:{a}:{owner}:due:{tag}",
                "school_id": school,
                "case_id": case,
                "subject_kind": "action",
                "subject_id": a,
                "recipient_id": owner,
                "step": "due",
                "anchor": "",
                "due_at": now - timedelta(minutes=5),
                "state": "pending",
                "attempts": 0,
                "created_at": now,
            }
            for i, (a, case, owner, school) in enumerate(actions)
        ]
        _insert(s, Reminder.__table__, rows)
        _sync_sequences(s, [Reminder.__table__])
    return [r["id"] for r in rows]
