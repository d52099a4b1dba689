"""The forms one school sees: the built-in ones, the deployment's (``TACBOT_FORMS_DIR``) and the school's
own (`tacbot forms load --school`), never another school's.

A school's forms are read from the database each time (one small query of ids and digests, so a `forms
load` in another process shows at once); the parsed forms are cached by the SHA-256 of their text, so a
form is parsed and validated once per process and per version, and a new version is never served stale.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.forms.library import Form, FormDefinitionError, FormLibrary
from storage.repo import school_forms

log = logging.getLogger(__name__)
_MOST = 2000  # parsed forms kept (by digest) before the cache starts again
_parsed: dict[str, Form] = {}
_lock = threading.Lock()


def school_library(base: FormLibrary, session: Session, school_id: int | None) -> FormLibrary:
    """``base`` (built-in and deployment forms) with the school's own; ``base`` alone for no school."""
    if school_id is None:
        return base
    rows = school_forms.versions(session, school_id=school_id)
    if not rows:
        return base
    with _lock:
        missing = {form_id for form_id, sha, _ in rows if sha not in _parsed}
    texts = school_forms.texts(session, school_id=school_id, form_ids=missing)
    own: dict[str, Form] = {}
    for form_id, sha, removed in rows:
        with _lock:
            form = _parsed.get(sha)
        if form is None:
            try:
                form = base.check_own(texts[form_id], f"{form_id}.yaml")
            except (FormDefinitionError, KeyError):
                # Checked when loaded; it clashes now only if TACBOT_FORMS_DIR took its id since.
                log.warning("a school's own form is set aside: its id is taken by a form of every school")
                continue
            with _lock:
                if len(_parsed) >= _MOST:
                    _parsed.clear()
                _parsed[sha] = form
        own[form_id] = dataclasses.replace(form, retired=True) if removed else form
    return base.joined(own)


def load_own(
    s: Session, base: FormLibrary, *, school_id: int, files: list[tuple[str, str]], by: str, now: datetime
) -> list[tuple[Form, bool]]:
    """Check every file (name, YAML text) as the school's own form, then store them all, or none: the
    first broken one raises ``FormDefinitionError`` naming its file and field. Each form with whether it
    is new or changed."""
    if not files:
        raise FormDefinitionError("no form files (*.yaml) to load")
    forms: dict[str, Form] = {}
    for name, text in files:
        form = base.check_own(text, name, stem=Path(name).stem)
        if form.id in forms:
            raise FormDefinitionError(f"{name}: id: {form.id!r} is in two of the files loaded")
        forms[form.id] = form
    return [
        (
            forms[form_id],
            school_forms.store(s, school_id=school_id, form_id=form_id, text=text, by=by, now=now),
        )
        for form_id, (_, text) in zip(forms, files, strict=True)
    ]
