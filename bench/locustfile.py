"""The Locust users of bench/load.py (which prepares the data and the fixture, and starts the server).

    .venv/bin/python bench/load.py          # the normal way
    LOAD_FIXTURE=bench/output/load-fixture.json .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:PORT

Three kinds of users, with think times of 1–3 s:

- Visitor (weight 7): the catalogue, Chinese and English searches (full page and the HTMX fragment),
  programme pages, the JSON API;
- Applicant (weight 3): logs in as the next unused `load-applicant-<i>`, looks at the workspace, profile
  (autosave as the page's HTMX sends it) and applications, creates a draft in the open demo round, fills it in
  (autosave), submits it once, then sometimes logs out and goes on as the next account;
- UnitAdmin (LOAD_UNIT_ADMINS of them, fixed): `load-unit-<i>`, the unit's list (and its HTMX filter), an
  application's page, recommends a submitted application. Each administrator only decides on the
  applications whose id falls in its own share of its unit, so two never decide on the same one.

Request names start with their group: "page:", "fragment:", "api:", "post:". Every response is checked (status
and a marker in the content); redirects are not followed, they are checked (status and Location). At the end the
figures by group are written as JSON to LOAD_RESULT for bench/load.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

FIXTURE_PATH = Path(os.environ.get("LOAD_FIXTURE") or Path(__file__).parent / "output" / "load-fixture.json")
FIXTURE = json.loads(FIXTURE_PATH.read_text())
PASSWORD = FIXTURE["password"]
GROUPS = ("page", "fragment", "api", "post")
LOGGED_IN = 'action="/accounts/logout/"'  # the log-out button of every page of a logged-in user
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HTMX = {"HX-Request": "true", "Accept": "text/html, */*"}
NOTES: Counter = Counter()  # what the users did, for the report

APPLICANT_IDS = itertools.count()
ADMIN_IDS = itertools.count()
UNIT_ADMINS = max(1, min(len(FIXTURE["unit_admins"]), int(os.environ.get("LOAD_UNIT_ADMINS", "4"))))

APPLICATION_TEXT = {
    "requested_duration": "3",
    "requested_duration_unit": "month",
    "reason": "科室计划开展新技术，需系统学习国际先进经验，提升临床诊疗水平。",
    "plan_purpose": "学习先进的临床技术和管理经验。",
    "plan_content": "跟随导师参加临床工作、病例讨论和教学查房。",
    "plan_goals": "回院后开展新技术一项，并培训科室同事。",
}
PROFILE_TEXT = {
    "cv_text": ["2008年起在本院工作，现任主治医师。", "2012年至今从事临床工作，参与科室新技术开展。"],
    "language_self_assessment": ["英语读写熟练，可进行专业交流。", "英语听说良好，能阅读专业文献。"],
    "teaching_note": ["承担住院医师规范化培训带教工作。", ""],
}


class BaseUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def check(
        self,
        method: str,
        path: str,
        name: str,
        *,
        status: int = 200,
        marker: str | None = None,
        absent: str | None = None,
        location: str | None = None,
        validate=None,
        **kwargs,
    ):
        """One request; a failure in Locust's stats unless the status, the marker, the Location and `validate`
        (a function of the response returning what is wrong, or "") are right."""
        with self.client.request(method, path, name=name, catch_response=True, allow_redirects=False, **kwargs) as r:
            problem = ""
            if r.status_code != status:
                where = f" → {r.headers.get('Location')}" if r.headers.get("Location") else ""
                problem = f"status {r.status_code}{where}, expected {status}"
            elif marker and marker not in r.text:
                problem = f"no {marker!r} in the answer"
            elif absent and absent in r.text:
                problem = f"{absent!r} in the answer"
            elif location and not re.fullmatch(location, r.headers.get("Location", "")):
                problem = f"Location {r.headers.get('Location')!r}, expected {location!r}"
            elif validate:
                problem = validate(r)
            if problem:
                r.failure(problem)
            else:
                r.success()
            r.ok_checked = not problem
            return r

    def log_in(self, username: str) -> bool:
        page = self.check("GET", "/accounts/login/", "page: /accounts/login/", marker="csrfmiddlewaretoken")
        token = _csrf(page.text)
        if not token:
            return False
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""}
        done = self.check("POST", "/accounts/login/", "post: /accounts/login/", data=data, status=302, location="/me/")
        NOTES["logins"] += 1
        return done.ok_checked

    def log_out(self, token: str) -> None:
        self.check(
            "POST", "/accounts/logout/", "post: /accounts/logout/", data={"csrfmiddlewaretoken": token}, status=302
        )
        self.client.cookies.clear()

    def page(self, path: str, name: str, marker: str = LOGGED_IN, **kwargs):
        return self.check("GET", path, f"page: {name}", marker=marker, **kwargs)


class Visitor(BaseUser):
    """Anonymous: the catalogue, searches, programme pages and the API."""

    weight = 7

    @task(4)
    def home(self):
        self.page("/", "/", marker='<section id="results"')

    @task(4)
    def search(self):
        term = random.choice(FIXTURE["search_terms"])
        self.page(f"/?q={term}", "/?q=[Chinese term]", marker='class="card"')

    @task(1)
    def search_english(self):
        if FIXTURE["latin_terms"]:
            term = random.choice(FIXTURE["latin_terms"])
            self.page(f"/?q={term}", "/?q=[English term]", marker='class="card"')

    @task(3)
    def search_as_you_type(self):
        """The page's search box: HTMX asks for the #results fragment only."""
        term = random.choice(FIXTURE["search_terms"])
        self.check(
            "GET",
            f"/?q={term}",
            "fragment: /?q=[term] (HTMX)",
            headers={**HTMX, "HX-Target": "results", "HX-Current-URL": f"{self.host}/"},
            marker='<section id="results"',
            absent="<html",
        )

    @task(4)
    def programme(self):
        code = random.choice(FIXTURE["programmes"])
        self.page(f"/programmes/{code}/", "/programmes/[code]/", marker=f'<span class="code">{code}</span>')

    @task(1)
    def api_search(self):
        term = random.choice(FIXTURE["search_terms"])
        self.check(
            "GET",
            f"/api/v1/programmes?q={term}",
            "api: /api/v1/programmes?q=[term]",
            validate=lambda r: "" if json.loads(r.text).get("count") else f"the API found nothing for {term}",
        )

    @task(1)
    def api_programme(self):
        code = random.choice(FIXTURE["programmes"])
        self.check("GET", f"/api/v1/programmes/{code}", "api: /api/v1/programmes/[code]", marker=f'"code": "{code}"')


class Applicant(BaseUser):
    """Logs in, keeps the profile up to date, applies to the demo round and submits once per account."""

    weight = 3

    def on_start(self):
        self.sign_in_next()

    def sign_in_next(self):
        index = next(APPLICANT_IDS)
        if index >= FIXTURE["applicants"]:
            NOTES["applicant accounts exhausted"] += 1
            raise StopUser
        self.username = f"load-applicant-{index}"
        self.application = None  # the id of this account's application, once created
        self.submitted = False
        self.token = ""
        if not self.log_in(self.username):
            NOTES["log-ins refused"] += 1

    @task(2)
    def workspace(self):
        self.remember_token(self.page("/me/", "/me/"))

    @task(2)
    def my_applications(self):
        self.remember_token(self.page("/applications/", "/applications/"))

    @task(2)
    def browse(self):
        code = random.choice(FIXTURE["programmes"])
        self.page(f"/programmes/{code}/", "/programmes/[code]/ (logged in)")

    @task(3)
    def profile(self):
        """The profile page, then one or two autosaves as the page sends them when a field changes."""
        r = self.page("/me/profile/", "/me/profile/", marker='hx-post="/me/profile/autosave/"')
        if not r.ok_checked:
            return
        fields = form_fields(r.text, "profile-form")
        fields = [(k, v) for k, v in fields if k != "doc-file"]  # hx-params="not doc-file"
        token = _csrf(r.text)
        self.token = token or self.token
        for _ in range(random.choice([1, 2])):
            name = random.choice(["department", *PROFILE_TEXT])
            value = random.choice(FIXTURE["departments"]) if name == "department" else random.choice(PROFILE_TEXT[name])
            fields = [(k, value if k == name else v) for k, v in fields]
            self.check(
                "POST",
                "/me/profile/autosave/",
                "post: /me/profile/autosave/ (HTMX)",
                data=fields,
                headers={
                    **HTMX,
                    "X-CSRFToken": token,
                    "HX-Target": "autosave-status",
                    "HX-Current-URL": f"{self.host}/me/profile/",
                },
                marker='id="errors-name"',
                absent='<p class="error">',
            )
            NOTES["profile autosaves"] += 1
            time.sleep(random.uniform(0.5, 1.5))  # typing the next field

    @task(3)
    def apply(self):
        if self.submitted:
            # Submitted, or already decided by the unit meanwhile.
            self.page(f"/applications/{self.application}/", "/applications/[id]/", validate=decided_or_submitted)
            if random.random() < 0.5:  # done for today: the next applicant sits down
                self.log_out(self.token)
                self.sign_in_next()
            return
        round_code = FIXTURE["round"]
        if self.application is None:
            start = self.page(
                f"/applications/start/{round_code}/",
                "/applications/start/[round]/",
                marker="category-choices",
                validate=lambda r: "" if re.search(r'name="category" value="|/edit/"', r.text) else "no category open",
            )
            if not start.ok_checked:
                return
            existing = re.search(r'href="/applications/(\d+)/edit/"', start.text)
            if existing:
                self.application = int(existing.group(1))
            else:
                choices = re.findall(r'name="category" value="(\d+)"', start.text)
                self.wait()
                created = self.check(
                    "POST",
                    f"/applications/start/{round_code}/",
                    "post: /applications/start/[round]/ (new draft)",
                    data={"csrfmiddlewaretoken": _csrf(start.text), "category": random.choice(choices)},
                    status=302,
                    location=r"/applications/\d+/edit/",
                )
                if not created.ok_checked:
                    return
                self.application = int(re.search(r"\d+", created.headers["Location"]).group())
                NOTES["drafts created"] += 1
        pk = self.application
        form = self.page(f"/applications/{pk}/edit/", "/applications/[id]/edit/", marker='id="app-form"')
        if not form.ok_checked:
            return
        token = _csrf(form.text)
        self.token = token or self.token
        data = {"csrfmiddlewaretoken": token, **APPLICATION_TEXT, "requested_department": self.department()}
        self.wait()  # typing
        self.check(
            "POST",
            f"/applications/{pk}/autosave/",
            "post: /applications/[id]/autosave/ (HTMX)",
            data=data,
            headers={**HTMX, "HX-Target": "autosave-status", "HX-Current-URL": f"{self.host}/applications/{pk}/edit/"},
            marker="autosave-ok",
        )
        self.wait()
        done = self.check(
            "POST",
            f"/applications/{pk}/submit/",
            "post: /applications/[id]/submit/",
            data={**data, "action": "submit"},
            status=302,
            location=f"/applications/{pk}/",
        )
        if done.ok_checked:
            self.submitted = True
            NOTES["applications submitted"] += 1
            self.page(f"/applications/{pk}/", "/applications/[id]/", validate=decided_or_submitted)

    def department(self) -> str:
        return random.choice(FIXTURE["departments"])

    def remember_token(self, response) -> None:
        self.token = _csrf(response.text) or self.token


class UnitAdmin(BaseUser):
    """A unit administrator: the unit's list, one application, recommend (each on its own share of the list)."""

    fixed_count = UNIT_ADMINS

    def on_start(self):
        index = next(ADMIN_IDS)
        units = FIXTURE["units"]
        self.username = FIXTURE["unit_admins"][index % len(FIXTURE["unit_admins"])]
        unit = index % units  # load-unit-<i> administers unit i % units (bench/load.py)
        self.share = index // units
        self.shares = len(range(unit, UNIT_ADMINS, units))
        self.candidates: list[int] = []
        self.seen: list[int] = []
        self.token = ""
        self.log_in(self.username)
        self.list_submitted()

    @task(3)
    def list_submitted(self):
        r = self.page("/unit/applications/?state=submitted", "/unit/applications/?state=submitted")
        if r.ok_checked:
            self.token = _csrf(r.text) or self.token
            ids = [int(i) for i in re.findall(r'name="ids" value="(\d+)"', r.text)]
            self.candidates = [i for i in ids if i % self.shares == self.share]
            self.seen = [int(i) for i in re.findall(r'href="/applications/(\d+)/"', r.text)]

    @task(1)
    def filter_by_name(self):
        surname = random.choice("王李张刘陈杨黄赵吴周")
        self.check(
            "GET",
            f"/unit/applications/?q={surname}&state=&sort=name",
            "fragment: /unit/applications/?q=[name] (HTMX)",
            headers={**HTMX, "HX-Target": "unit-results", "HX-Current-URL": f"{self.host}/unit/applications/"},
            marker='<section id="unit-results"',
            absent="<html",
        )

    @task(2)
    def open_one(self):
        if self.seen:
            pk = random.choice(self.seen)
            self.page(f"/applications/{pk}/", "/applications/[id]/ (unit)", marker="app-head")

    @task(2)
    def recommend(self):
        if not self.candidates:
            NOTES["recommend skipped: nothing submitted in this administrator's share"] += 1
            return
        pk = self.candidates.pop(0)
        self.check(
            "POST",
            "/unit/applications/decide/",
            "post: /unit/applications/decide/ (HTMX)",
            data={
                "csrfmiddlewaretoken": self.token,
                "next": "/unit/applications/?state=submitted",
                "ids": str(pk),
                "decision": "recommended",
                "opinion": "同意推荐。",
                "q": "",
                "state": "submitted",
                "round": "",
                "category": "",
                "sort": "submitted",
            },
            headers={
                **HTMX,
                "X-CSRFToken": self.token,
                "HX-Target": "unit-results",
                "HX-Current-URL": f"{self.host}/unit/applications/?state=submitted",
            },
            marker='<p class="message" role="status">',
            absent='class="error banner"',
        )
        NOTES["applications recommended"] += 1


def decided_or_submitted(response) -> str:
    if re.search(r'class="badge state-(submitted|recommended|returned|rejected)"', response.text):
        return ""
    return "the application is not shown as submitted"


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class _FormFields(HTMLParser):
    """The fields a browser (and HTMX) sends for the form with `form_class`, in document order."""

    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, bool] | None = None  # name, multiple
        self.options: list[tuple[str, bool]] = []
        self.option_value: str | None = None
        self.option_selected = False
        self.option_text = ""
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.form_class in (a.get("class") or "").split()
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in {"file", "submit", "button", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
            self.options = []
        elif tag == "option" and self.select:
            self.option_value = a.get("value")
            self.option_selected = "selected" in a
            self.option_text = ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data
        elif self.option_value is None and self.select and self.options is not None:
            self.option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self.select:
            value = self.option_value if self.option_value is not None else self.option_text.strip()
            self.options.append((value, self.option_selected))
            self.option_value = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [v for v, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]  # a single select sends its first option
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_class: str) -> list[tuple[str, str]]:
    parser = _FormFields(form_class)
    parser.feed(html)
    return parser.fields


REQUESTS: list[tuple[float, str, str, float, bool]] = []  # every request: when it ended, method, name, ms, failed


@events.request.add_listener
def remember_request(request_type, name, response_time, exception=None, **_kwargs):
    REQUESTS.append((time.time(), request_type, name, response_time or 0.0, exception is not None))


@events.quitting.add_listener
def write_result(environment, **_kwargs):
    """The figures by group (and by name) as JSON for bench/load.py: merged response-time histograms."""
    path = os.environ.get("LOAD_RESULT")
    if not path:
        return
    stats = environment.stats
    total = stats.total
    duration = max(1e-9, (total.last_request_timestamp or 0) - (total.start_time or 0))
    groups = {group: StatsEntry(stats, group, "", use_response_times_cache=False) for group in GROUPS}
    for entry in stats.entries.values():
        group = entry.name.split(":", 1)[0]
        if group in groups:
            groups[group].extend(entry)

    def row(entry: StatsEntry, name: str) -> dict:
        return {
            "name": name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / duration,
            "median": entry.get_response_time_percentile(0.5) if entry.num_requests else 0,
            "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
            "p99": entry.get_response_time_percentile(0.99) if entry.num_requests else 0,
            "max": entry.max_response_time if entry.num_requests else 0,
        }

    result = {
        "seconds": duration,
        "groups": {**{g: row(e, g) for g, e in groups.items() if e.num_requests}, "all": row(total, "all")},
        "names": [row(e, f"{e.method} {e.name}") for e in stats.entries.values()],
        "failures": sorted(
            (
                {"name": f"{e.method} {e.name}", "error": str(e.error), "occurrences": e.occurrences}
                for e in stats.errors.values()
            ),
            key=lambda f: -f["occurrences"],
        ),
        "notes": dict(NOTES),
    }
    Path(path).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    # Every request, for a timeline: seconds since the start, method, name, milliseconds, failed.
    start = REQUESTS[0][0] if REQUESTS else 0
    lines = ["second,method,name,ms,failed"]
    lines += [f"{t - start:.2f},{m},{n},{ms:.1f},{int(f)}" for t, m, n, ms, f in REQUESTS]
    Path(path).with_name(Path(path).name.replace("-groups.json", "-requests.csv")).write_text("\n".join(lines) + "\n")
