"""Slack's Block Kit limits, checked on every payload the bot sends (messages, modals, Home)."""

from __future__ import annotations

import re
from typing import Any

_PING = re.compile(r"<!(channel|here|everyone)\b|<!subteam\^")


def _text(obj: dict[str, Any], limit: int, where: str, problems: list[str]) -> str:
    text = str(obj.get("text", ""))
    if not text.strip():
        problems.append(f"{where}: empty text")
    if len(text) > limit:
        problems.append(f"{where}: {len(text)} chars > {limit}")
    if obj.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: bad text type {obj.get('type')}")
    return text


def check_blocks(blocks: list[dict[str, Any]], *, surface: str = "message") -> list[str]:
    """Every limit Slack enforces that our renderer could break; returns the problems found."""
    problems: list[str] = []
    most = 50 if surface == "message" else 100
    if len(blocks) > most:
        problems.append(f"{len(blocks)} blocks > {most} in a {surface}")
    action_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"block {i} ({block.get('type')})"
        kind = block.get("type")
        if kind == "section":
            if "text" in block:
                _text(block["text"], 3000, where, problems)
            fields = block.get("fields", [])
            if len(fields) > 10:
                problems.append(f"{where}: {len(fields)} fields > 10")
            for f in fields:
                _text(f, 2000, where + " field", problems)
            if "text" not in block and not fields:
                problems.append(f"{where}: neither text nor fields")
        elif kind == "header":
            if block["text"]["type"] != "plain_text":
                problems.append(f"{where}: header must be plain_text")
            _text(block["text"], 150, where, problems)
        elif kind == "context":
            if not 1 <= len(block["elements"]) <= 10:
                problems.append(f"{where}: {len(block['elements'])} elements")
            for e in block["elements"]:
                _text(e, 3000, where, problems)
        elif kind == "actions":
            if not 1 <= len(block["elements"]) <= 25:
                problems.append(f"{where}: {len(block['elements'])} elements")
            for e in block["elements"]:
                _text(e["text"], 75, where + " button", problems)
                if len(e.get("value", "")) > 2000:
                    problems.append(f"{where}: button value too long")
                aid = e["action_id"]
                if len(aid) > 255 or aid in action_ids:
                    problems.append(f"{where}: bad or repeated action_id {aid}")
                action_ids.add(aid)
        elif kind == "input":
            _text(block["label"], 2000, where + " label", problems)
        elif kind != "divider":
            problems.append(f"{where}: unexpected block type")
    return problems


def check_view(view: dict[str, Any]) -> list[str]:
    problems = check_blocks(view.get("blocks", []), surface=view.get("type", "modal"))
    if view.get("type") == "modal":
        _text(view["title"], 24, "modal title", problems)
    if len(view.get("private_metadata", "")) > 3000:
        problems.append("private_metadata > 3000")
    return problems


def pings(text: str) -> bool:
    """Whether mrkdwn would ping a group: `<!channel>`, `<!here>`, `<!everyone>` or a user group."""
    return bool(_PING.search(text))


def mrkdwn_in(obj: Any) -> list[str]:
    """Every mrkdwn text in a payload: plain_text and typed-in values never ping, mrkdwn can."""
    if isinstance(obj, dict):
        found = [str(obj.get("text", ""))] if obj.get("type") == "mrkdwn" else []
        return found + [t for v in obj.values() for t in mrkdwn_in(v)]
    if isinstance(obj, list):
        return [t for v in obj for t in mrkdwn_in(v)]
    return []
