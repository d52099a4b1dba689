"""A service directory file: read, check against the JSON Schema, and name the line and field of a fault.

`tacbot services load <file.yaml>` uses this; so does the example that ships with the package
(``EXAMPLE``), which the tests check like any school's file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from sqlalchemy.orm import Session

from handlers.roles import ROLES
from storage import audit
from storage.repo import services as repo

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMA = DATA / "services.schema.json"
EXAMPLE = DATA / "services.example.yaml"


class DirectoryError(ValueError):
    """A directory file that does not follow the format; the message names the file, line and field."""


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One service as the file gives it (field names as the ``services`` table's columns)."""

    key: str
    name: str
    scope: str
    roles: tuple[str, ...]
    remit: str
    eligibility: str
    how_to_refer: str
    typical_wait_weeks: int | None
    cost: str
    beyond_casework: str


@cache
def _validator() -> Draft7Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _node_at(root: yaml.Node, path: Sequence[str | int]) -> yaml.Node:
    """The YAML node at ``path`` (as far as it goes), for its line number."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            break
        node = found
    return node


def _where(raw: Any, path: Sequence[str | int]) -> str:
    """`services[2].typical_wait_weeks (service 'camhs')` for a place in the document."""
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    where = "".join(parts).lstrip(".") or "the top level"
    if len(path) >= 2 and path[0] == "services" and isinstance(path[1], int):
        entry = raw["services"][path[1]] if isinstance(raw, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where += f" (service {entry['id']!r})"
    return where


def _fault(name: str, root: yaml.Node, raw: Any, path: Sequence[str | int], message: str) -> DirectoryError:
    line = _node_at(root, path).start_mark.line + 1
    return DirectoryError(f"{name} line {line}: {_where(raw, path)}: {message}")


def parse_directory(text: str, *, name: str) -> tuple[ServiceEntry, ...]:
    """The services of a directory file's text; ``DirectoryError`` naming line and field if it is wrong."""
    try:
        root = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DirectoryError(f"{name}{line}: {problem}") from None
    if root is None:
        raise DirectoryError(f"{name}: the file is empty; it needs a list of `services:`")
    error: ValidationError | None = best_match(_validator().iter_errors(raw))
    if error is not None:
        raise _fault(name, root, raw, list(error.absolute_path), error.message)
    seen: dict[str, int] = {}
    entries: list[ServiceEntry] = []
    for i, item in enumerate(raw["services"]):
        if item["id"] in seen:
            raise _fault(
                name,
                root,
                raw,
                ["services", i, "id"],
                f"{item['id']!r} is already the id of services[{seen[item['id']]}]",
            )
        seen[item["id"]] = i
        for j, role in enumerate(item.get("roles", [])):
            if role not in ROLES:
                raise _fault(
                    name, root, raw, ["services", i, "roles", j], f"{role!r} is not a role TAC Bot knows"
                )
        entries.append(
            ServiceEntry(
                key=item["id"],
                name=" ".join(item["name"].split()),
                scope=item["scope"],
                roles=tuple(item.get("roles", ())),
                remit=item["remit"].strip(),
                eligibility=item["eligibility"].strip(),
                how_to_refer=item["how_to_refer"].strip(),
                typical_wait_weeks=item.get("typical_wait_weeks"),
                cost=item["cost"].strip(),
                beyond_casework=item.get("beyond_casework", "").strip(),
            )
        )
    return tuple(entries)


def read_directory(path: Path) -> tuple[ServiceEntry, ...]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    return parse_directory(text, name=path.name)


def store_directory(
    session: Session, *, school_id: int | None, entries: Sequence[ServiceEntry], now: datetime, by: str
) -> None:
    """Replace the directory of ``school_id`` (None: every school) with ``entries``; audited."""
    repo.replace_directory(
        session, school_id=school_id, services=[dataclasses.asdict(e) for e in entries], now=now
    )
    audit.record(session, action="services.loaded", at=now, school_id=school_id, services=len(entries), by=by)
