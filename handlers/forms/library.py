"""Forms as data: load every form file, validate it against the JSON Schema, and keep them by id.

A broken form stops start-up with ``FormDefinitionError`` naming the file and the field, so a school
never finds out from a professional that its form does not open.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

DATA = Path(__file__).resolve().parents[1] / "data"
BUILTIN_DIR = DATA / "forms"
SCHEMA = DATA / "form.schema.json"
BUILTIN_IDS = (
    "ep-advice",
    "salt-advice",
    "ot-advice",
    "health-advice",
    "camhs-advice",
    "social-care-advice",
    "teacher-input",
    "parent-views",
    "pupil-voice",
    "preparation",
    "review-record",
    "concern",
    "family-update",
    "pupil-details",
)
TEXT_LIMITS = {"short_text": 200, "long_text": 3000}


class FormDefinitionError(ValueError):
    """A form file that does not follow the format; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    emoji: str = ""

    @property
    def text(self) -> str:
        return f"{self.emoji} {self.label}" if self.emoji else self.label


DEFAULT_SCALE = (
    Option("1", "Really hard", "😣"),
    Option("2", "Hard", "🙁"),
    Option("3", "OK", "😐"),
    Option("4", "Good", "🙂"),
    Option("5", "Really good", "😀"),
)
YES_NO = (Option("yes", "Yes"), Option("no", "No"))


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    label: str
    type: str
    help: str = ""
    required: bool = False
    headline: bool = False
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    options: tuple[Option, ...] = ()
    options_from: str | None = None  # "team": the options are filled in when the form is opened

    @property
    def limit(self) -> int:
        """The most characters a text answer may have."""
        return self.max_length or TEXT_LIMITS.get(self.type, 3000)

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options a choice, yes/no or scale field offers (the scale's values are "1".."5")."""
        if self.type == "yes_no":
            return YES_NO
        return self.options


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    help: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    short_title: str
    for_whom: str
    introduction: str
    sections: tuple[Section, ...]
    source: str
    internal: bool = False  # opened by a command (e.g. `review record`); never listed or requested
    retired: bool = False  # a school's form it removed: requests already made still open; no new ones

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)


@cache
def _validator() -> Draft7Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _where(raw: Any, error: ValidationError) -> str:
    """`sections[1].fields[2] (field "needs")` for the place in the document the error points at."""
    parts: list[str] = []
    node: Any = raw
    field_id: str | None = None
    for step in error.absolute_path:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if parts[-2:-1] == [".fields"] and isinstance(node, dict) and isinstance(node.get("id"), str):
            field_id = node["id"]
    where = "".join(parts).lstrip(".") or "the top level"
    return f"{where} (field {field_id!r})" if field_id else where


def _message(error: ValidationError) -> str:
    """The schema's complaint in a sentence a school can act on (never the whole document)."""
    if error.validator == "not":
        rule = error.validator_value if isinstance(error.validator_value, dict) else {}
        keys = list(rule.get("required", [])) + [
            k for a in rule.get("anyOf", []) for k in a.get("required", [])
        ]
        if isinstance(error.instance, dict):
            present = [k for k in keys if k in error.instance]
            return f"{', '.join(present)} is not allowed for a field of type {error.instance.get('type')!r}"
        return f"{error.instance!r} is a reserved name"
    if error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        most = "at most" if error.validator == "maxItems" else "at least"
        return f"has {len(error.instance)} items; it takes {most} {error.validator_value}"
    message = str(error.message)
    return message if len(message) <= 300 else message[:299] + "…"


def _worst(errors: list[ValidationError]) -> ValidationError | None:
    """The error deepest in the document (the most specific place), the most relevant among those."""
    if not errors:
        return None
    deepest = max(len(e.absolute_path) for e in errors)
    return best_match(e for e in errors if len(e.absolute_path) == deepest)


def _option(raw: Mapping[str, Any]) -> Option:
    return Option(str(raw["value"]), str(raw["label"]), str(raw.get("emoji", "")))


def _build(raw: dict[str, Any], source: str) -> Form:
    sections: list[Section] = []
    seen: set[str] = set()
    for si, s in enumerate(raw["sections"]):
        fields: list[Field] = []
        for fi, f in enumerate(s["fields"]):
            where = f"sections[{si}].fields[{fi}] (field {f['id']!r})"
            if f["id"] in seen:
                raise FormDefinitionError(f"{source}: {where}: the id {f['id']!r} is used twice")
            seen.add(f["id"])
            options = tuple(_option(o) for o in f.get("options", ()))
            if f["type"] == "scale_1_5":
                words = f.get("scale")
                options = (
                    tuple(Option(str(n), w["label"], w.get("emoji", "")) for n, w in enumerate(words, 1))
                    if words
                    else DEFAULT_SCALE
                )
            if len({o.value for o in options}) != len(options):
                raise FormDefinitionError(f"{source}: {where}: two options share a value")
            if f.get("min") is not None and f.get("max") is not None and f["min"] > f["max"]:
                raise FormDefinitionError(f"{source}: {where}: min is greater than max")
            fields.append(
                Field(
                    id=f["id"],
                    label=f["label"],
                    type=f["type"],
                    help=f.get("help", ""),
                    required=bool(f.get("required", False)),
                    headline=bool(f.get("headline", False)),
                    max_length=f.get("max_length"),
                    min=f.get("min"),
                    max=f.get("max"),
                    integer=bool(f.get("integer", False)),
                    options=options,
                    options_from=f.get("options_from"),
                )
            )
        sections.append(Section(title=s["title"], help=s.get("help", ""), fields=tuple(fields)))
    title = raw["title"]
    return Form(
        id=raw["id"],
        title=title,
        short_title=raw.get("short_title") or (title if len(title) <= 24 else title[:23] + "…"),
        for_whom=raw["for"],
        introduction=raw["introduction"],
        sections=tuple(sections),
        source=source,
        internal=bool(raw.get("internal", False)),
    )


def load_form(path: Path) -> Form:
    """One form file, validated. Raises ``FormDefinitionError`` naming the file and the field."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{path.name}: cannot be read as YAML: {exc}") from None
    return parse_form(text, path.name, stem=path.stem)


def parse_form(text: str, source: str, *, stem: str | None = None) -> Form:
    """One form from its YAML text, validated (``stem``: the file name its id must match). Raises
    ``FormDefinitionError`` naming ``source`` and the field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormDefinitionError(f"{source}: cannot be read as YAML: {exc}") from None
    error = _worst(list(_validator().iter_errors(raw)))
    if error is not None:
        raise FormDefinitionError(f"{source}: {_where(raw, error)}: {_message(error)}")
    if stem is not None and raw["id"] != stem:
        raise FormDefinitionError(f"{source}: id: {raw['id']!r} must match the file name {stem!r}")
    return _build(raw, source)


def form_files(folder: Path) -> list[Path]:
    """The form files of a folder (``*.yaml``, ``*.yml``), by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class FormLibrary(Mapping[str, Form]):
    """Every form that can be requested: the ten built-in ones, and a school's own from a folder."""

    def __init__(self, forms: Mapping[str, Form]) -> None:
        self._forms = dict(forms)

    @classmethod
    def load(cls, extra_dir: Path | str | None = None) -> FormLibrary:
        """The built-in forms plus every ``*.yaml`` in ``extra_dir``; raises ``FormDefinitionError``."""
        forms = {f.id: f for f in (load_form(p) for p in form_files(BUILTIN_DIR))}
        missing = [i for i in BUILTIN_IDS if i not in forms]
        if missing:
            raise FormDefinitionError(f"built-in forms missing: {', '.join(missing)}")
        if extra_dir is not None:
            folder = Path(extra_dir)
            if not folder.is_dir():
                raise FormDefinitionError(f"{folder}: TACBOT_FORMS_DIR is not a folder")
            for path in form_files(folder):
                form = load_form(path)
                if form.id in forms:
                    raise FormDefinitionError(
                        f"{path.name}: id: {form.id!r} is already a form; choose another id"
                    )
                forms[form.id] = form
        return cls(forms)

    def __getitem__(self, form_id: str) -> Form:
        return self._forms[form_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)

    def requestable(self) -> list[Form]:
        """The forms a key worker can list and request (not the internal nor removed ones), by id."""
        return sorted(
            (f for f in self._forms.values() if not f.internal and not f.retired), key=lambda f: f.id
        )

    def joined(self, own: Mapping[str, Form]) -> FormLibrary:
        """These forms and a school's ``own``; where an id is in both (a deployment form added after the
        school's was loaded), these win."""
        return FormLibrary({**own, **self._forms})

    def check_own(self, text: str, source: str, *, stem: str | None = None) -> Form:
        """A school's own form, validated like any (``parse_form``), that takes no id of these forms (the
        built-in ones the bot's own flows open, nor the deployment's) and is not ``internal``."""
        form = parse_form(text, source, stem=stem)
        if form.id in self._forms:
            kind = (
                "a built-in form" if form.id in BUILTIN_IDS else "a form of every school (TACBOT_FORMS_DIR)"
            )
            raise FormDefinitionError(f"{source}: id: {form.id!r} is already {kind}; choose another id")
        if form.internal:
            raise FormDefinitionError(
                f"{source}: internal: a school's own form is requested with `request`; it cannot be internal"
            )
        return form


@cache
def builtin_library() -> FormLibrary:
    """The built-in forms, loaded once (the default for ``Core.forms``)."""
    return FormLibrary.load()
