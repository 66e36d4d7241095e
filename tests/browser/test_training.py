"""A supervisor records a training with a trainer and a participant, and sees the totals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Role
from agencies.training.models import Training
from tests.agencies.factories import PASSWORD, AgencyFactory, PersonFactory, TaskForceFactory
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_supervisor_records_a_training_and_sees_the_totals(
    page: Page, transactional_db: None
) -> None:
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs", kind="customs")
    AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    supervisor = PersonFactory(username="afi", agency=customs, roles=[Role.SUPERVISOR])

    sign_in(page, supervisor.username, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training records")
    page.get_by_role("link", name="Record a training").click()

    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Title").fill("Wildlife trafficking through the airport")
    page.get_by_label("First day").fill("2026-06-08")
    page.get_by_label("Last day").fill("2026-06-10")
    page.get_by_label("Place").fill("Lomé")
    page.get_by_label("wildlife").check()
    page.get_by_label("API/PNR risk analysis").check()
    page.get_by_role("button", name="Record the training").click()

    training = Training.objects.get()
    expect(page).to_have_url(re.compile(rf"/training/{training.pk}/$"))

    page.get_by_text("Add a trainer").click()
    trainer_form = page.locator("#trainer-form")
    trainer_form.get_by_label("Trainer's name").fill("Wanjiru Kamau")
    trainer_form.get_by_label("Nationality (ISO alpha-3)").fill("KEN")
    trainer_form.get_by_label("Organisation").fill("UNODC")
    trainer_form.get_by_role("button", name="Add the trainer").click()
    expect(page.locator("#trainers")).to_contain_text("Wanjiru Kamau")

    page.get_by_text("Add a participant").click()
    participant_form = page.locator("#participant-form")
    participant_form.get_by_label("Participant's name").fill("Efua Owusu")
    participant_form.get_by_label("Agency", exact=True).select_option(label="TG-CUS — Customs")
    participant_form.get_by_label("Gender").select_option("F")
    participant_form.get_by_label("Role").fill("inspector")
    participant_form.get_by_role("button", name="Add the participant").click()
    expect(page.locator("#participants")).to_contain_text("Efua Owusu")
    expect(page.locator("#participants")).to_contain_text("1 woman")
    save_screenshot(page, "training-detail")

    page.get_by_role("link", name="Training records").click()
    totals = page.locator("#training-totals")
    expect(totals.locator('[data-total="trainings"]')).to_have_text("1")
    expect(totals.locator('[data-total="personnel"]')).to_have_text("1")
    expect(totals.locator('[data-total="women"]')).to_have_text("1 (100 %)")
    expect(totals.locator('[data-total="nationalities"]')).to_contain_text("KEN: 1")
    expect(totals.locator('[data-total="topics"]')).to_contain_text("wildlife: 1")
    expect(page.locator("table.trainings")).to_contain_text(
        "Wildlife trafficking through the airport"
    )
    save_screenshot(page, "training-totals")
