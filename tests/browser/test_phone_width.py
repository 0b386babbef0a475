"""At 390 px (a phone) the main pages do not scroll sideways: lists become cards (project/static/tidu/tidu.css)."""

import pytest

from tests.browser.support import log_in
from tests.factories import AnnualMetricsFactory
from workflows.services import pool as pool_services

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


def test_the_main_pages_fit_a_phone(page, cast):
    AnnualMetricsFactory(enterprise=cast.own, rd_expense=None)  # a diagnosis with gaps, remedies and data to enter
    for owner, enterprise in ((cast.owner, cast.own), (cast.other_owner, cast.neighbour)):
        pool_services.pool_entry_propose(enterprise=enterprise, by=owner, statement="主导产品为精密轴承，申请入库培育。" * 3)
    pages = [
        (cast.district, "/queue/"),
        (cast.district, "/pool/"),
        (cast.owner, f"/cultivation/diagnosis/{cast.own.pk}/"),
        (cast.owner, "/archive/"),
        (cast.city, "/queue/"),
        (cast.city, "/registry/enterprise/"),
        (cast.auditor, "/audit/"),
    ]
    page.set_viewport_size(PHONE)
    too_wide = []
    for user, url in pages:
        page.context.clear_cookies()
        log_in(page, user.username)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            too_wide.append(f"{user.username} {url}: {widths[0]} px in {widths[1]}")
    assert not too_wide, "\n".join(too_wide)
