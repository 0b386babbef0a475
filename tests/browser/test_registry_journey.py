"""A district reviewer logs in, sees only the district's enterprises, opens one, logs out."""

import re

import pytest

from tests.browser.support import log_in

pytestmark = [pytest.mark.browser]


def test_district_reviewer_sees_only_own_district(page, cast):
    log_in(page, cast.district.username)
    page.goto("/registry/enterprise/")
    body = page.content()
    assert cast.own.name in body and cast.neighbour.name in body
    assert cast.far.name not in body

    page.get_by_text(cast.own.name).first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/registry/enterprise/\d+/detail/", page.url)
    assert page.get_by_test_id("enterprise-name").inner_text() == cast.own.name

    page.goto(f"/registry/enterprise/{cast.far.pk}/detail/")
    assert cast.far.name not in page.content()

    page.goto("/registry/enterprise/")
    page.locator(".vf-page__menu-toggle-button").click()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("networkidle")
    page.goto("/registry/enterprise/")
    assert "/accounts/login/" in page.url
