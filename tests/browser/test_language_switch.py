"""The user menu switches the interface between Chinese and English, and the choice stays."""

import pytest

pytestmark = [pytest.mark.browser]


def test_the_user_menu_switches_the_language_and_back(page, cast):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", cast.city.username)
    page.fill("input[name=password]", "pass12345")
    with page.expect_navigation(url="**/queue/"):
        page.click("button[type=submit]")
    assert page.get_attribute("html", "lang") == "zh-hans"
    page.click(".vf-page__menu-toggle-button")  # the user menu, under the user's name
    switch = page.get_by_test_id("language-switch").locator("button")
    assert switch.locator(".mdc-list-item__content").inner_text().strip() == "English"

    with page.expect_navigation(url="**/queue/"):
        switch.click()
    assert page.get_attribute("html", "lang") == "en"
    assert "Open in my scope" in page.inner_text("body")
    page.goto("/registry/enterprise/")
    assert page.get_attribute("html", "lang") == "en"  # the choice stays for the next pages

    page.click(".vf-page__menu-toggle-button")
    with page.expect_navigation():
        page.get_by_test_id("language-switch").locator("button").click()
    assert page.get_attribute("html", "lang") == "zh-hans"
