"""The glossary behind `define`: enough terms, each with every profession's meaning and a source."""

from __future__ import annotations

import yaml

from handlers.glossary import GLOSSARY, PERSPECTIVES, glossary


def test_at_least_15_terms_each_complete_with_a_source() -> None:
    raw = yaml.safe_load(GLOSSARY.read_text("utf-8"))
    assert len(raw) >= 15
    for name, entry in raw.items():
        for key, _label in PERSPECTIVES:
            assert len(entry[key]) > 40, (name, key)
        assert entry["source"].strip(), name


def test_names_and_aliases_never_clash() -> None:
    raw = yaml.safe_load(GLOSSARY.read_text("utf-8"))
    keys = [k.lower() for name, entry in raw.items() for k in (name, *entry.get("aliases", ()))]
    assert len(keys) == len(set(keys))
    terms = glossary()
    assert terms["tac"].name == "team around the child"
    assert terms["annual review"].name == "annual review"
    assert terms["lac"].name == "looked after child"
