"""No page a demo role reaches shows a raw code, in Chinese or in English, nor (in Chinese) an
English string our catalogues translate: every state, action, object type and button has a label.

The demo city is loaded once for the module (as `make run` does); each role's menu and the
links of its pages are crawled, a few pages of each shape, bounded.
"""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

from enterprises.models import User
from tests.page_text import crawl, page_problems, raw_code_patterns, untranslated_msgids

pytestmark = pytest.mark.django_db
DEMO_ROLES = ["qiye1", "jingkou", "city", "finance", "auditor", "admin"]


@pytest.fixture
def demo_city():
    """The demo city, loaded inside the test's transaction (so nothing outlives it)."""
    for step in settings.TIDU_DEMO_STEPS:
        import_string(step)(stdout=io.StringIO())


def test_pages_show_labels_not_codes(demo_city):
    patterns, msgids = raw_code_patterns(), untranslated_msgids()
    problems, broken = [], []
    for username in DEMO_ROLES:
        for language in ("zh-hans", "en"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(User.objects.get(username=username))
            for url, response in crawl(client, ["/"], limit=60):
                where = f"{username} {language} {url}"
                if response.status_code != 200:
                    broken.append(f"{where}: {response.status_code}")
                elif "html" in response.get("Content-Type", ""):
                    found = page_problems(response.content.decode(), chinese=language != "en", patterns=patterns, msgids=msgids)
                    problems += [f"{where}: {problem}" for problem in sorted(set(found))]
    assert not broken, "\n".join(broken)
    assert not problems, "\n".join(problems[:60])
