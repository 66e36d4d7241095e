"""The network page in a real browser: the SVG map with a marker per task force."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Role, TaskForce
from agencies.network.models import NetworkTaskForce
from tests.agencies.factories import (
    PASSWORD,
    AgencyFactory,
    AirportFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_member_sees_the_map_with_a_marker_per_task_force_and_follows_one(
    page: Page, transactional_db: None
) -> None:
    lfw = AirportFactory(
        iata_code="LFW", country="TGO", latitude=Decimal("6.16561"), longitude=Decimal("1.25451")
    )
    lome = TaskForceFactory(
        code="TG-LFW", name="JAITF Lomé", airports=[lfw], status=TaskForce.Status.OPERATIONAL
    )
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs")
    AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    officer = PersonFactory(username="kodjo", agency=customs, roles=[Role.OFFICER])
    NetworkTaskForce.objects.create(
        country="SEN", airport="DSS", name="JAITF Dakar", status="established"
    )
    NetworkTaskForce.objects.create(
        country="PAK", airport="ISB", name="JAITF Islamabad", status="potential"
    )

    sign_in(page, officer.username, PASSWORD)
    page.get_by_role("link", name="Network").click()
    expect(page).to_have_url(re.compile(r"/network/$"))

    map_ = page.get_by_role("img", name="Map of the task forces by status")
    expect(map_).to_be_visible()
    expect(map_.locator("g.countries path")).to_have_count(177)
    markers = map_.locator("a.network-marker")
    expect(markers).to_have_count(3)
    box = map_.bounding_box()
    assert box is not None and box["width"] > 500

    legend = page.locator(".network-legend li")
    expect(legend).to_have_count(5)
    expect(legend.filter(has_text="potential extension")).to_contain_text("(1)")

    page.locator('a.network-marker[href="#net-dss"]').click()
    expect(page).to_have_url(re.compile(r"#net-dss$"))
    expect(page.locator("#net-dss")).to_contain_text("JAITF Dakar")
    expect(page.locator("#tf-tg-lfw")).to_contain_text("Customs, Police")
    save_screenshot(page, "network-map")
