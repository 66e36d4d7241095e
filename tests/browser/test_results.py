"""A supervisor opens the results page in a real browser: the charts draw, the figures read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.agencies.factories import PASSWORD
from tests.aircop.results.dataset import build
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_results_page_draws_its_charts_and_figures(transactional_db: None, page: Page) -> None:
    results = build()
    sign_in(page, results.supervisor.username, PASSWORD)
    page.get_by_role("link", name="Results").click()
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-06-30")
    page.get_by_role("button", name="Show").click()

    # One chart of quantities per unit: kilograms apart from the amount of money.
    chart = page.get_by_role("img", name="Quantity seized per commodity, in kg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    expect(page.get_by_role("img", name="Quantity seized per commodity, in XOF")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(11)
    cocaine = page.locator('table[data-table="commodities"] tr', has_text="cocaine")
    expect(cocaine.locator("td").nth(3)).to_have_text("15.0")
    rules = page.locator('table[data-table="rules"] tbody tr').first
    expect(rules.locator("td").nth(5)).to_have_text("0.5")
    save_screenshot(page, "results")
