"""Every figure links to the list behind it, which shows the figure's rows and exports them as XLSX."""

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def rows_of(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return re.findall(r'data-testid="figure-row"', page.content.decode()), page.content.decode()


def sheet_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def test_every_figure_link_lists_its_rows_and_exports_them(city, client):
    client.force_login(city.cast.city)
    page = client.get("/dashboard/").content.decode()
    links = sorted({unescape(href) for href in re.findall(r'href="(/dashboard/list/[^"]+)"', page)})
    assert any("/list/titles/" in link for link in links) and any("/list/indicator/" in link for link in links)
    assert any("/list/funnel/" in link for link in links) and any("/list/committed/" in link for link in links)
    for link in links:
        rows, _ = rows_of(client, link)
        path, _sep, query = link.partition("?")
        exported = sheet_rows(client, f"{path}export.xlsx?{query}")
        assert len(exported) == len(rows) + 1, link  # the header, then the same rows


@pytest.mark.parametrize(
    "url, names",
    [
        ("/dashboard/list/titles/?tier=srdi", ["镇江精工轴承有限公司"]),
        ("/dashboard/list/titles/?tier=innovative", ["丹阳远方光学有限公司"]),
        ("/dashboard/list/pool/", ["镇江精工轴承有限公司", "丹阳远方光学有限公司"]),
        ("/dashboard/list/funnel/?stage=recommended", ["镇江精工轴承有限公司"]),
        ("/dashboard/list/funnel/?stage=rewarded", ["镇江邻居电气有限公司"]),
        ("/dashboard/list/indicator/?indicator=cnc_rate", ["镇江精工轴承有限公司"]),
        ("/dashboard/list/overdue/?jurisdiction=321181", ["丹阳远方光学有限公司"]),
    ],
)
def test_list_shows_the_right_rows(city, client, url, names):
    client.force_login(city.cast.city)
    everyone = ["镇江精工轴承有限公司", "镇江邻居电气有限公司", "丹阳远方光学有限公司", "镇江冠军装备股份有限公司"]
    rows, page = rows_of(client, url)
    assert len(rows) == len(names)
    for name in everyone:
        assert (name in page) == (name in names), (url, name)


def test_committed_list_carries_the_amounts(city, client):
    client.force_login(city.cast.city)
    exported = sheet_rows(client, f"/dashboard/list/committed/export.xlsx?fund={city.fund.code}")
    assert exported[1][0] == "镇江邻居电气有限公司" and exported[1][-1] == 300000


def test_district_lists_stay_in_the_district(city, client):
    client.force_login(city.cast.district)
    _rows, page = rows_of(client, "/dashboard/list/titles/?tier=innovative&jurisdiction=321181")
    assert "丹阳远方光学有限公司" not in page
    exported = sheet_rows(client, "/dashboard/list/pool/export.xlsx?jurisdiction=321181")
    assert [row[0] for row in exported[1:]] == ["镇江精工轴承有限公司"]


@pytest.mark.parametrize(
    "url",
    ["/dashboard/list/nothing/", "/dashboard/list/titles/", "/dashboard/list/titles/?tier=gold",
     "/dashboard/list/funnel/?stage=dreamt", "/dashboard/list/committed/?fund=NOPE", "/dashboard/list/pool/?year=x"],
)
def test_unknown_lists_and_parameters_are_404(city, client, url):
    client.force_login(city.cast.city)
    assert client.get(url).status_code == 404


def test_formula_looking_names_are_escaped_in_the_export(city, client):
    city.cast.own.name = "=HYPERLINK(\"http://evil\")"
    city.cast.own.save()
    client.force_login(city.cast.city)
    exported = sheet_rows(client, "/dashboard/list/white-list/export.xlsx")
    assert "'=HYPERLINK(\"http://evil\")" in [row[0] for row in exported]
