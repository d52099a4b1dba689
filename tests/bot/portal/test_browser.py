"""The portal in a real headless browser (Debian's ``chromium`` driven by Selenium through
``chromium-driver``), against serve's app listening on a free port: a form filled with the keyboard
alone, submitted invalid then valid, and a chaser answered. Each page is written to
``build/screenshots/`` for a person to look at.

Selenium's calls block, so each runs in a thread (``_in_thread``) while the server keeps answering on
the test's event loop. ``make install`` installs the browser where it is missing; in CI a missing
browser fails the run instead of skipping it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from storage.models import Action, FormSubmission, InputRequest
from tests.bot.console.test_forms import EP
from tests.bot.portal.conftest import World
from tests.conftest import IN_CI

T = TypeVar("T")
CHROMIUM = Path(os.environ.get("TACBOT_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("TACBOT_CHROMEDRIVER", "/usr/bin/chromedriver"))
SHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


@pytest.fixture
def browser(backend: str) -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        missing = "chromium and chromium-driver are not installed (make install installs them)"
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(arg)
    options.add_argument("--window-size=1024,900")
    options.add_argument("--force-device-scale-factor=1")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


async def _in_thread(work: Callable[[], T]) -> T:
    """A blocking Selenium step, run while the server (on this event loop) keeps answering."""
    return await asyncio.to_thread(work)


def _shoot(driver: WebDriver, name: str, backend: str) -> None:
    """The whole page, however long, as ``build/screenshots/<name>.png`` (SQLite's run; PostgreSQL's
    gets its own name so the two never overwrite each other half-way)."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1024, min(max(height + 140, 600), 12000))
    suffix = "" if backend == "sqlite" else f"-{backend}"
    driver.save_screenshot(str(SHOTS / f"{name}{suffix}.png"))
    driver.set_window_size(1024, 900)


def _active(driver: WebDriver) -> WebElement:
    return driver.switch_to.active_element


def _focused(driver: WebDriver, wanted: Callable[[WebElement], bool]) -> WebElement:
    """The focused element once it is the one wanted (``autofocus`` and in-page links move the focus
    after the page has loaded, not with it)."""
    WebDriverWait(driver, 10).until(lambda d: wanted(_active(d)))
    return _active(driver)


def _id(value: str) -> Callable[[WebElement], bool]:
    return lambda e: e.get_attribute("id") == value


def _summary_link(field_id: str) -> Callable[[WebElement], bool]:
    return lambda e: e.tag_name == "a" and (e.get_attribute("href") or "").endswith(f"#f-{field_id}")


def _press(driver: WebDriver, *keys: str) -> None:
    _active(driver).send_keys(*keys)


def _tab_to(driver: WebDriver, wanted: Callable[[WebElement], bool], *, limit: int = 250) -> WebElement:
    """Press Tab until the focused element is the one wanted (keyboard only: no clicks)."""
    for _ in range(limit):
        _press(driver, Keys.TAB)
        element = _active(driver)
        if wanted(element):
            return element
    raise AssertionError("the element was never reached with the Tab key")


def _go(driver: WebDriver, element: WebElement) -> None:
    """Enter on a link or a submit button, then wait until the next page has replaced this one (reading
    the old page's elements while it unloads would race the browser)."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(staleness_of(old))


def _named(name: str) -> Callable[[WebElement], bool]:
    return lambda e: e.get_attribute("name") == name


def _link_to(part: str) -> Callable[[WebElement], bool]:
    return lambda e: e.tag_name == "a" and part in (e.get_attribute("href") or "")


def _button(text: str) -> Callable[[WebElement], bool]:
    return lambda e: e.tag_name == "button" and e.text.strip() == text


def _focus_ring(driver: WebDriver) -> dict[str, Any]:
    style = driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return {outline: s.outlineStyle, width: s.outlineWidth, bg: s.backgroundColor, shadow: s.boxShadow};"
    )
    assert isinstance(style, dict)
    return style


def _fill_invalid(driver: WebDriver) -> None:
    """Every required answer but the last, typed; the main area of need chosen with the arrow keys."""
    for field in ("involvement", "assessments", "child_views", "parent_views", "strengths"):
        _tab_to(driver, _named(field)).send_keys(str(EP[field]))
    _tab_to(driver, _named("primary_area"))
    _press(driver, Keys.SPACE)  # the first option, Cognition and learning
    _tab_to(driver, _named("outcomes")).send_keys(str(EP["outcomes"]))
    submit = _tab_to(driver, _button("Submit"))
    assert _focus_ring(driver)["bg"] == "rgb(255, 221, 0)"  # the focus is visible: yellow, dark edge
    _go(driver, submit)


async def test_a_form_by_keyboard_invalid_then_valid_and_a_chaser_answered(
    world: World, browser: WebDriver, backend: str
) -> None:
    driver = browser
    page_url = str(world.client.make_url(world.path()))

    def open_page() -> None:
        driver.get(page_url)
        assert driver.title.startswith("TAC-0001 (Robin)")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        _shoot(driver, "01-page", backend)
        _go(driver, _tab_to(driver, _link_to(f"/form/{world.request_id}")))
        assert driver.title.startswith("Educational psychology advice")
        _shoot(driver, "02-form", backend)

    await _in_thread(open_page)

    def submit_invalid() -> None:
        _fill_invalid(driver)
        assert driver.title.startswith("Error: Educational psychology advice")
        summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
        assert "There is a problem" in summary.text and "Please answer this question." in summary.text
        _focused(driver, _summary_link("provision"))  # the summary's first link has the focus
        kept = driver.find_element(By.ID, "f-involvement").get_attribute("value")
        assert kept == EP["involvement"]
        assert driver.find_element(By.ID, "f-provision").get_attribute("aria-invalid") == "true"
        _shoot(driver, "03-form-errors", backend)

    await _in_thread(submit_invalid)
    assert world.rows(FormSubmission) == []

    def submit_valid() -> None:
        _press(driver, Keys.ENTER)  # follow the summary's link: the focus goes to the field
        _focused(driver, _id("f-provision"))
        _press(driver, str(EP["provision"]))
        _go(driver, _tab_to(driver, _button("Submit")))
        body = driver.find_element(By.TAG_NAME, "main").text
        assert "Thank you. Educational psychology advice for TAC-0001 (Robin) is submitted." in body
        _shoot(driver, "04-form-submitted", backend)

    await _in_thread(submit_valid)
    [submission] = world.rows(FormSubmission)
    assert submission.version == 1 and submission.answers["provision"] == EP["provision"]
    assert [r.state for r in world.rows(InputRequest)] == ["submitted"]

    def answer_chaser() -> None:
        _go(driver, _focused(driver, lambda e: e.tag_name == "a" and e.text.strip() == "Back to your page"))
        assert driver.title.startswith("TAC-0001 (Robin)")
        _go(driver, _tab_to(driver, _link_to(f"/chaser/action/{world.action_id}/later")))
        assert driver.title.startswith("Need more time: Action 1")
        _shoot(driver, "05-chaser", backend)
        _tab_to(driver, _named("date")).send_keys("10092026")  # en-US: month, day, year
        _go(driver, _tab_to(driver, _button("Move the date")))
        body = driver.find_element(By.TAG_NAME, "main").text
        assert "Action 1 on TAC-0001 is now due Fri 09 Oct 2026" in body
        _shoot(driver, "06-chaser-answered", backend)

    await _in_thread(answer_chaser)
    [action] = world.rows(Action)
    assert str(action.due) == "2026-10-09"

    def blocked_without_then_with_a_reason() -> None:
        driver.get(str(world.client.make_url(world.path(f"/chaser/action/{world.action_id}/blocked"))))
        _go(driver, _tab_to(driver, _button("Tell the key worker")))
        assert "Say what is blocking it." in driver.find_element(By.CSS_SELECTOR, ".error-summary").text
        _shoot(driver, "07-chaser-error", backend)
        _focused(driver, _summary_link("reason"))
        _press(driver, Keys.ENTER)
        _focused(driver, _id("f-reason"))
        _press(driver, "The room is booked until November")
        _go(driver, _tab_to(driver, _button("Tell the key worker")))
        assert "told the key worker" in driver.find_element(By.TAG_NAME, "main").text

    await _in_thread(blocked_without_then_with_a_reason)
    note = world.bot.sent_to(user="sam")[-1]
    assert "The room is booked until November" in note.text

    await world.bot.exec("sam", '/tac request pupil-voice from "Dr Ann Vale"', room=world.room)
    voice = max(r.id for r in world.rows(InputRequest))

    def other_pages() -> None:
        driver.get(str(world.client.make_url(world.path(f"/form/{voice}"))))
        emoji = driver.find_elements(By.CSS_SELECTOR, ".scale .emoji")
        scales = [f for f in world.core.forms["pupil-voice"].fields if f.type == "scale_1_5"]
        assert len(emoji) == 5 * len(scales) and emoji[0].text == "😣"
        _shoot(driver, "08-pupil-voice", backend)
        driver.get(str(world.client.make_url("/portal/not-a-real-link")))
        assert driver.title.startswith("This link does not work")
        assert "TAC-" not in driver.find_element(By.TAG_NAME, "body").text
        _shoot(driver, "09-refused", backend)

    await _in_thread(other_pages)


def test_the_browser_is_debian_s_chromium() -> None:
    """The tests drive the packaged browser, not one fetched at run time."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("chromium is not installed")
        pytest.skip("chromium is not installed")
    assert shutil.which("chromedriver") or CHROMEDRIVER.exists()
