"""No URL of the site answers a server error, for any demo role (issue 10: "walk every URL pattern").

Every pattern the URL configuration holds — pages, the viewflow site's areas, the API — is
requested with GET as each demo role and as an anonymous visitor, its parameters filled
with an existing id (1), an id that exists nowhere and a non-numeric word. Refusals (403,
404, 405, 302 to the login page) are fine; a 5xx never is.
"""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from enterprises.models import User

pytestmark = pytest.mark.django_db
DEMO_ROLES = ["qiye1", "jingkou", "city", "finance", "auditor", "admin", "zhuanjia1", None]
# Route converters and regex groups, each filled in turn with these values.
FILLS = ["1", "987654", "abc"]
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _route_text(pattern) -> str:
    return str(pattern.pattern)


def _templates(patterns, prefix=""):
    """Every pattern's path template, prefixes joined (regex anchors stripped)."""
    for entry in patterns:
        text = _route_text(entry).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
        if isinstance(entry, URLResolver):
            yield from _templates(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text


def _filled(template: str, value: str) -> str:
    path = REGEX_GROUP.sub(value, template)  # first: a regex group holds a <name> too
    path = ROUTE_PARAMETER.sub(value, path)
    return "/" + re.sub(r"[\^$?*+]", "", path)


def site_urls() -> list[str]:
    urls = set()
    for template in _templates(get_resolver().url_patterns):
        if "format" in template or "setlang" in template or "logout" in template:
            continue
        for value in FILLS:
            urls.add(_filled(template, value))
    return sorted(urls)


@pytest.fixture
def demo_city():
    for step in settings.TIDU_DEMO_STEPS:
        import_string(step)(stdout=io.StringIO())


def test_no_url_answers_a_server_error_for_any_role(demo_city):
    urls = site_urls()
    assert len(urls) > 200  # the walk really covers the site
    errors = []
    for username in DEMO_ROLES:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            status = client.get(url).status_code
            if status >= 500:
                errors.append(f"{username or 'anonymous'} GET {url}: {status}")
    assert not errors, "\n".join(errors)
