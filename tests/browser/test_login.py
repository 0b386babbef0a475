"""Logging in is a page load, not a background fetch: a slow first login still lands on the user's page."""

import pytest

pytestmark = [pytest.mark.browser]


def test_the_login_form_posts_as_a_page_and_lands_where_the_work_is(page, cast):
    page.goto("/accounts/login/")
    assert page.get_by_test_id("login-form").get_attribute("data-turbo") == "false"
    page.fill("input[name=username]", cast.city.username)
    page.fill("input[name=password]", "pass12345")
    with page.expect_navigation(url="**/queue/"):
        page.click("button[type=submit]")
    assert page.get_by_test_id("login-form").count() == 0
