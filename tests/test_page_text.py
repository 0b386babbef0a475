"""No page a demo role reaches shows a raw code, in Chinese or in English, nor (in Chinese) an
English string our catalogues translate: every state, action, object type and button has a label.
Nor does it show an amount or a date in another form than its language's one (3,450.2万元 and
2026年11月30日 in Chinese, ¥34,502,000.00 and 30 Nov 2026 in English).

The demo city is loaded once for the module (as `make run` does); each role's menu and the
links of its pages are crawled, a few pages of each shape, bounded.
"""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

from enterprises.models import User
from tests.page_text import crawl, format_problems, page_problems, raw_code_patterns, untranslated_msgids

pytestmark = pytest.mark.django_db
DEMO_ROLES = ["qiye1", "jingkou", "city", "finance", "auditor", "admin"]
# Pages with money and dates a breadth-first crawl from "/" might reach too late (a role may be refused
# or redirected where it may not go, and that refusal is no fault here).
MONEY_AND_DATE_PAGES = ["/", "/payouts/", "/payouts/rounds/", "/payouts/budget/", "/payouts/reconciliation/",
                        "/payouts/forecast/", "/rewards/awards/", "/queue/", "/dashboard/"]


@pytest.fixture
def demo_city():
    """The demo city, loaded inside the test's transaction (so nothing outlives it)."""
    for step in settings.TIDU_DEMO_STEPS:
        import_string(step)(stdout=io.StringIO())


def test_pages_show_labels_not_codes_and_one_money_and_date_format(demo_city):
    patterns, msgids = raw_code_patterns(), untranslated_msgids()
    problems, broken, formats = [], [], []
    for username in DEMO_ROLES:
        for language in ("zh-hans", "en"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(User.objects.get(username=username))
            for url, response in crawl(client, MONEY_AND_DATE_PAGES, limit=70):
                where = f"{username} {language} {url}"
                if response.status_code in (403, 404) and url in MONEY_AND_DATE_PAGES[1:]:
                    continue
                if response.status_code != 200:
                    broken.append(f"{where}: {response.status_code}")
                elif "html" in response.get("Content-Type", ""):
                    html, chinese = response.content.decode(), language != "en"
                    found = page_problems(html, chinese=chinese, patterns=patterns, msgids=msgids)
                    problems += [f"{where}: {problem}" for problem in sorted(set(found))]
                    formats += [f"{where}: {problem}" for problem in sorted(set(format_problems(html, chinese=chinese)))]
    assert not broken, "\n".join(broken)
    assert not problems, "\n".join(problems[:60])
    assert not formats, "\n".join(formats[:60])
