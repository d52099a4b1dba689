"""`serve` mounts the portal, says so at start-up, and its access log never shows a link's token."""

from __future__ import annotations

import logging

import pytest

from bot.cli_serve import exposure, plugins_for
from bot.server import make_app
from bot.settings import Settings
from tests.bot.portal.conftest import World


def test_serve_mounts_the_portal_and_names_it_at_start_up(world: World) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    app = make_app(world.core, plugins=plugins_for(settings, scheduler=False))
    paths = {r.resource.canonical for r in app.router.routes() if r.resource is not None}
    assert "/portal/{token}" in paths and "/portal/{token}/form/{request}" in paths
    assert "GET and POST /portal/<link>/..." in exposure(app, settings)


async def test_the_access_log_never_shows_a_link_s_token(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    path = world.path()
    assert (await world.client.get(path)).status == 200
    token = path.removeprefix("/portal/")
    assert "/portal/<link>" in caplog.text and token not in caplog.text
