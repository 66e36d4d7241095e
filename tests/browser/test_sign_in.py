"""Signing in with a real browser: errors, landing page, keyboard use and lockout."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Person
from tests.agencies.factories import PASSWORD
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser

LOGIN_PATH = "/accounts/login/"


def test_wrong_password_shows_an_error_and_stays_on_login_page(
    page: Page, live_server: LiveServer, officer: Person
) -> None:
    sign_in(page, officer.username, "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page).to_have_url(live_server.url + LOGIN_PATH)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_right_password_lands_on_home_page_with_task_force_name(
    page: Page, live_server: LiveServer, officer: Person
) -> None:
    sign_in(page, officer.username, PASSWORD)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    expect(page.locator(".site-header")).to_contain_text("JAITF Lomé")
    save_screenshot(page, "home-officer")


def test_keyboard_user_skips_to_the_form_and_signs_in_with_enter(
    page: Page, live_server: LiveServer, officer: Person
) -> None:
    page.goto(LOGIN_PATH)
    username = page.get_by_label("Username")
    expect(username).to_be_focused()  # autofocus: a person can type at once

    # Back to the top of the page: the first stop is the skip link, shown when focused.
    skip_link = page.get_by_role("link", name="Skip to content")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".site-header")).to_contain_text("JAITF Lomé")


def test_account_locks_after_repeated_failures_even_with_right_password(
    page: Page, live_server: LiveServer, officer: Person
) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, officer.username, "guessing-the-password")

    sign_in(page, officer.username, PASSWORD)

    expect(page.get_by_role("heading", name="Account locked")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts")
    save_screenshot(page, "locked-out")
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))
