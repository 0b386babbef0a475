"""A city reviewer opens the dashboard, clicks a figure through to its list and downloads the XLSX."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.support import log_in
from tests.dashboard.conftest import city  # noqa: F401  (the known small city)

pytestmark = [pytest.mark.browser]


def test_city_reviewer_follows_a_figure_to_its_list_and_exports_it(page, city):
    log_in(page, city.cast.city.username)
    page.goto("/dashboard/")
    assert page.get_by_test_id("figure-tier-srdi").inner_text() == "1"
    assert page.get_by_test_id("progress-chart").is_visible()

    page.get_by_test_id("figure-tier-srdi").click()
    page.wait_for_load_state("networkidle")
    assert "/dashboard/list/titles/" in page.url and "tier=srdi" in page.url
    rows = page.get_by_test_id("figure-row")
    assert rows.count() == 1 and city.cast.own.name in rows.first.inner_text()

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    content = open(download_info.value.path(), "rb").read()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [city.cast.own.name]
