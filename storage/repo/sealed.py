"""Re-encrypting what is stored sealed with ``TACBOT_DATA_KEY`` under its newest key (`tacbot data
rotate-key`): pupil details, and the Slack tokens of every installed workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import DataCipher
from storage.models import SlackBot, SlackInstallation
from storage.repo import pupils

_INSTALLATION_TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
_BOT_TOKENS = ("bot_token", "bot_refresh_token")


def rotate_all(s: Session, *, cipher: DataCipher) -> int:
    """Every sealed value, re-encrypted with the first key; returns how many values were."""
    count = pupils.rotate_all(s, cipher=cipher)
    for model, columns in ((SlackInstallation, _INSTALLATION_TOKENS), (SlackBot, _BOT_TOKENS)):
        for row in s.scalars(select(model)).all():
            for column in columns:
                value = getattr(row, column)
                if value:
                    setattr(row, column, cipher.rotate(value))
                    count += 1
    return count
