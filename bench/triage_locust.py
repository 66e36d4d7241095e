"""The officers of bench/triage.py, for locust: sign in, then work the triage queue.

Not run by hand: bench/triage.py starts locust on this file with BENCH_TRIAGE_PLAN naming a
JSON file (usernames, password, flagged traveller ids, pauses, where to write timings). Each
simulated officer signs in through the login form (with its CSRF token), waits for the others,
then loops: opens the queue — mostly as it comes, sometimes filtered or on page 2 — opens one to
three travellers picked from that page, and now and then records a decision with the traveller
page's decision form, as the queue's keyboard shortcuts do (JSON answer). Every request's time
goes to the plan's `out` file, so that bench/triage.py computes exact percentiles.
"""

from __future__ import annotations

import json
import os
import random
import re
from itertools import count
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_TRIAGE_PLAN"]).read_text())
TIMINGS: list[tuple[str, float, str]] = []  # name, milliseconds, error ("" when none)
NEXT_OFFICER = count()
SIGNED_IN: list[str] = []

ROW = re.compile(r'data-traveller="(\d+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DECISION_FORM = re.compile(r'<form\b[^>]*action="([^"]*/decide/)"[^>]*>(.*?)</form>', re.S)
VERSION = re.compile(r'name="version" value="(\d+)"')
FILTERS = ["?state=open&category=drugs", "?state=new", "?category=currency", "?mine=on"]


@events.request.add_listener
def _record(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
    TIMINGS.append((name, response_time, "" if exception is None else str(exception)[:300]))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    Path(PLAN["out"]).write_text(json.dumps(TIMINGS))


class Officer(HttpUser):
    # An officer reads a row or a page before the next click.
    wait_time = between(PLAN["think_min"], PLAN["think_max"])

    def on_start(self) -> None:
        self.username = PLAN["usernames"][next(NEXT_OFFICER) % len(PLAN["usernames"])]
        self.rng = random.Random(self.username)  # noqa: S311 - load shape, not security
        self.queue_ids: list[int] = []
        self.csrf = ""
        form = self.client.get("/accounts/login/", name="login form")
        token = CSRF_INPUT.search(form.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "/",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            # A good sign-in redirects to the queue; a refused one shows the form again.
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in ({response.status_code})")
        # Work starts once everyone has signed in: the timings are of a shift under way, not of
        # twenty password hashes (argon2, slow on purpose) computed at the same moment.
        SIGNED_IN.append(self.username)
        while len(SIGNED_IN) < len(PLAN["usernames"]):
            gevent.sleep(0.05)

    def _open_queue(self, query: str, name: str) -> None:
        with self.client.get(f"/{query}", name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"queue answered {response.status_code}")
                return
            ids = [int(i) for i in ROW.findall(response.text)]
            # The queue's rows carry data-traveller; a page without rows (a filter that matches
            # nobody) keeps the last ones, and the seeded flagged travellers stand in at first.
            if ids:
                self.queue_ids = ids
            elif not self.queue_ids:
                self.queue_ids = PLAN["flagged"]

    def _open_traveller(self, pk: int) -> str:
        with self.client.get(
            f"/travellers/{pk}/", name="triage view", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"triage view answered {response.status_code}")
                return ""
            token = CSRF_INPUT.search(response.text)
            self.csrf = token.group(1) if token else self.csrf
            return response.text

    def _decide(self, page: str) -> None:
        """Take the traveller (mostly) or clear them, with the page's decision form."""
        form = DECISION_FORM.search(page)
        if not form:
            return  # a triage view without decision forms: nothing to decide with
        action, fields = form.groups()
        version = VERSION.search(fields)
        data = {"csrfmiddlewaretoken": self.csrf, "version": version.group(1) if version else "0"}
        if self.rng.random() < 0.7:
            data.update({"kind": "assign", "assignee": "me"})
        else:
            data.update({"kind": "outcome", "outcome": "cleared", "reason": "bench: no grounds"})
        with self.client.post(
            action,
            data=data,
            headers={"Referer": f"{self.host}{action}", "Accept": "application/json"},
            name="decision",
            catch_response=True,
        ) as response:
            # 409: another officer decided first; that refusal is the right answer.
            if response.status_code in (200, 409):
                response.success()
            else:
                response.failure(f"decision answered {response.status_code}: {response.text[:200]}")

    @task
    def work_the_queue(self) -> None:
        roll = self.rng.random()
        if roll < 0.7:
            self._open_queue("", "queue")
        elif roll < 0.85:
            self._open_queue(self.rng.choice(FILTERS), "queue, filtered")
        else:
            self._open_queue("?page=2", "queue, page 2")
        for _ in range(self.rng.choice([1, 1, 2, 3])):
            self.wait()
            page = self._open_traveller(self.rng.choice(self.queue_ids))
            if page and self.rng.random() < PLAN["decide_share"]:
                self.wait()
                self._decide(page)
