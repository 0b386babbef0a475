"""The soak's users: district reviewers, enterprises, finance and the city, through the real pages.

    locust -f bench/soak/locustfile.py --host http://127.0.0.1:8765 --headless -u 50 -r 10 -t 120s

Each simulated user logs in through the login page with a demo login (the password is the
user name) and walks the pages its role walks; forms are posted with the CSRF token as a
browser would. Requests are named by page class (``queue``, ``case``, ``dashboard`` …) so the
report groups them; ``run_load.sh`` checks the targets per name.

A decision that loses a race (two reviewers on one case) is answered by the page with a
message, not an error, as for a person; only a 4xx/5xx or a refused login counts as an error.
"""

import os
import random
import re
import uuid
from datetime import date

from locust import HttpUser, between, task

DISTRICT_REVIEWERS = ["jingkou", "jingkou2", "runzhou", "dantu", "xinqu", "gaoxin", "danyang", "yangzhong", "jurong"]
# Only the demo's own enterprise logins have a password (qy… users hold an unusable one).
ENTERPRISES = ["qiye1", "qiye2", "qiye3", "qiye4", "qiye5"]
CASE_LINK = re.compile(r'href="(/pool/\d+/)"')
PAYOUT_LINK = re.compile(r'href="(/payouts/\d+/)"')
# Seconds a user spends on a page before the next click (SOAK_THINK="low,high"). The default is a
# person's pace — a reviewer reads the queue or the case before acting — so 50 users offer about
# 8 requests a second; "0.5,2" is a stress pace (about 40 a second) that finds the capacity.
THINK_SECONDS = tuple(float(value) for value in os.environ.get("SOAK_THINK", "3,10").split(","))
# Pages of the queue a reviewer reaches by paging (a district queue holds ~12,000 tasks at full size).
DEEP_PAGES = [2, 3, 5, 10, 50, 200]


class TiduUser(HttpUser):
    abstract = True
    wait_time = between(*THINK_SECONDS)
    logins: list[str] = []

    def on_start(self):
        self.username = random.choice(self.logins)
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": self.username, "csrfmiddlewaretoken": self.csrf()},
            name="login",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login refused for {self.username}")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post_form(self, url: str, data: dict, name: str):
        return self.client.post(url, {**data, "csrfmiddlewaretoken": self.csrf()}, headers={"Referer": url}, name=name)

    def open_one(self, url: str, pattern: re.Pattern, list_name: str, page_name: str) -> str | None:
        """Read the list at ``url``, open one of the pages it links to (``pattern``); returns its path."""
        response = self.client.get(url, name=list_name)
        found = pattern.findall(response.text) if response.ok else []
        if not found:
            return None
        page = random.choice(found)
        self.client.get(page, name=page_name)
        return page


class DistrictReviewer(TiduUser):
    weight = 6
    logins = DISTRICT_REVIEWERS

    @task(4)
    def queue_first_page(self):
        self.client.get("/queue/?tab=open", name="queue")

    @task(2)
    def queue_deeper_page(self):
        self.client.get(f"/queue/?tab=open&page={random.choice(DEEP_PAGES)}", name="queue (deeper page)")

    @task(1)
    def queue_search(self):
        self.client.get(f"/queue/?tab=open&query=梯度{random.randint(1, 9999)}", name="queue (search)")

    @task(3)
    def open_case_and_decide(self):
        case = self.open_one(f"/queue/?tab=open&page={random.randint(1, 20)}", CASE_LINK, "queue (deeper page)", "case")
        if case is None:
            return
        if random.random() < 0.7:
            self.post_form(f"{case}district_approve/", {"comment": "材料齐全，同意。"}, "case decide")
        else:
            self.post_form(f"{case}return/", {"comment": "请补充近三年研发投入明细。"}, "case decide")


class Enterprise(TiduUser):
    weight = 3
    logins = ENTERPRISES

    @task(3)
    def cases(self):
        self.open_one("/pool/", CASE_LINK, "enterprise cases", "case")

    @task(2)
    def diagnosis(self):
        self.client.get("/cultivation/", name="diagnosis")  # an enterprise's cultivation page is its diagnosis

    @task(1)
    def applications_and_payouts(self):
        self.client.get("/applications/", name="enterprise applications")
        self.client.get("/payouts/", name="payouts")


class Finance(TiduUser):
    weight = 1
    logins = ["finance"]

    @task
    def confirm_and_pay(self):
        payout = self.open_one(f"/payouts/?state=notice_done&page={random.randint(1, 20)}", PAYOUT_LINK, "payouts",
                               "payout")
        if payout is None:
            return
        self.post_form(f"{payout}confirm_budget/", {"confirm_budget-comment": "预算已核。"}, "payout decide")
        self.post_form(
            f"{payout}pay/",
            {"pay-bank_reference": f"SOAK-{uuid.uuid4().hex[:16]}", "pay-value_date": date.today().isoformat()},
            "payout decide",
        )


class City(TiduUser):
    weight = 1
    logins = ["city"]

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def city_queue(self):
        self.client.get("/queue/?tab=open", name="queue")
