"""Slack's published Block Kit limits, in one place so renderers and tests agree."""

from __future__ import annotations

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # a modal or the Home tab
SECTION_TEXT = 3000
FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_TEXT = 3000
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
MESSAGE_TEXT = 4000  # the top-level fallback `text` Slack recommends
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
