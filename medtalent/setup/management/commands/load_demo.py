"""Demo accounts, one per role, and one open demo round, so a new user can try every path.

Refuses to run with DEBUG off unless --force is given: demo passwords are public.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.accounts.models import User
from medtalent.accounts.services import role_assign, user_get_or_create
from medtalent.catalog.models import Programme
from medtalent.catalog.services import round_get_or_create
from medtalent.codes.idnumber import check_character
from medtalent.codes.models import Code
from medtalent.orgs.selectors import organisation_resolve
from medtalent.people.models import Person
from medtalent.people.services import person_create

# username, display name, role, organisation name (resolved by any name or alias), staff
DEMO_ACCOUNTS = [
    ("commission", "浙江省卫健委 演示管理员", Role.COMMISSION_ADMIN, "浙江省卫生健康委员会", True),
    ("unit-zju1", "浙大一院 科教科 演示管理员", Role.UNIT_ADMIN, "浙江大学医学院附属第一医院", False),
    ("unit-zjph", "浙江省人民医院 人事处 演示管理员", Role.UNIT_ADMIN, "浙江省人民医院", False),
    ("refdata", "浙江省卫健委 演示参考数据管理员", Role.REFERENCE_DATA_EDITOR, "浙江省卫生健康委员会", True),
    ("auditor", "浙江省卫健委 演示审计员", Role.AUDITOR, "浙江省卫生健康委员会", False),
    ("applicant", "张医生（演示申请人）", Role.APPLICANT, None, False),
    ("reviewer", "李教授（演示评审专家）", Role.REVIEWER, None, False),
    ("host", "广西医院 演示接收协调员", Role.HOST_COORDINATOR, "中山大学附属第一医院广西医院", False),
    # Pairing support: 浙大一院 (unit-zju1) supports 景宁县人民医院 (Annex 1 of seed 003).
    ("unit-jingning", "景宁县人民医院 医务科 演示管理员", Role.UNIT_ADMIN, "景宁县人民医院", False),
    (
        "alliance",
        "“一带一路”医学人才培养联盟秘书处 演示",
        Role.ALLIANCE_SECRETARIAT,
        "“一带一路”医学人才培养联盟",
        True,
    ),
]
# Demo staff for the pairing pages (dispatch from 浙大一院, upward training from 景宁): name, employer,
# department, title code (GB/T 8561), title obtained on.
DEMO_STAFF = [
    ("王建国（演示）", "浙江大学医学院附属第一医院", "普通外科", "232", dt.date(2012, 9, 1)),
    ("陈敏（演示）", "浙江大学医学院附属第一医院", "消化内科", "233", dt.date(2009, 9, 1)),
    ("刘洋（演示）", "景宁县人民医院", "外科", "233", dt.date(2016, 9, 1)),
]
# Made-up personal data of the demo staff, so that masking, reveals and encryption show: date of birth, sequence
# number (odd: a man, even: a woman; GB 11643), mobile number. The ID number starts with the region code of their
# hospital's county and ends with a valid check character; none is a real person's.
DEMO_STAFF_PERSONAL = {
    "王建国（演示）": (dt.date(1978, 5, 12), "013", "13800571001"),
    "陈敏（演示）": (dt.date(1975, 11, 3), "024", "13800571002"),
    "刘洋（演示）": (dt.date(1986, 2, 20), "035", "13800578003"),
}
# The demo applicant's profile: a man at 浙大一院, 51 on the demo round's closing day (so the leading-talent
# category is open to him and the younger ones are not, as the browser test expects).
DEMO_APPLICANT_HOSPITAL = "浙江大学医学院附属第一医院"
DEMO_APPLICANT_PHONE = "13800571000"
DEMO_APPLICANT_SEQUENCE = "011"


def demo_id_number(*, region_code: str, birth: dt.date, sequence: str) -> str:
    """A made-up ID number with a valid check character (GB 11643)."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


DEMO_PASSWORD = "medtalent-demo"
DEMO_ROUND_CODE = "wz-bysh-demo-open"


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and an open demo round; prints the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts have public passwords: run with DEBUG=1, or --force if you mean it.")
        rows = []
        for username, display_name, role, org_name, staff in DEMO_ACCOUNTS:
            organisation = None
            if org_name:
                organisation = organisation_resolve(name=org_name)
                if organisation is None:
                    raise CommandError(f"Demo organisation {org_name!r} is missing: run load_seeds first.")
            user, created = user_get_or_create(
                actor=None, username=username, display_name=display_name, password=DEMO_PASSWORD, is_staff=staff
            )
            role_assign(actor=None, user=user, role=role, organisation=organisation)
            rows.append(
                (username, role.label, organisation.name_zh if organisation else "", "new" if created else "kept")
            )
        self._demo_round()
        self._demo_staff()
        self._demo_applicant()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for username, role, org, state in rows:
            self.stdout.write(f"  {username:<14} {role!s:<34} {org} ({state})")
        self.stdout.write("")

    def _demo_round(self) -> None:
        """An application window open around today in the Wenzhou programme, marked as a demo."""
        programme = Programme.objects.filter(code="wz-bysh").first()
        if programme is None:
            return
        today = timezone.localdate()
        round_get_or_create(
            actor=None,
            code=DEMO_ROUND_CODE,
            defaults={
                "programme": programme,
                "name_zh": "演示批次（仅供试用）",
                "name_en": "Demo round (for trying the system)",
                "year": today.year,
                "application_opens": today - dt.timedelta(days=7),
                "application_closes": today + dt.timedelta(days=60),
                "period_note_zh": "演示数据：报名窗口自动设为今天前后",
                "period_note_en": "Demo data: the window is set around the day it was created",
            },
        )

    def _demo_staff(self) -> None:
        """A few staff profiles (names marked 演示) so the dispatch and upward forms have people to choose."""
        for name, employer_name, department, title_code, obtained in DEMO_STAFF:
            employer = organisation_resolve(name=employer_name)
            title = Code.objects.filter(table__slug="title", code=title_code).first()
            if employer is None or Person.objects.filter(name=name, employer=employer).exists():
                continue
            birth, sequence, phone = DEMO_STAFF_PERSONAL[name]
            person_create(
                actor=None,
                name=name,
                employer=employer,
                department=department,
                title=title,
                title_obtained_on=obtained,
                birth_date=birth,
                sex=Code.objects.filter(table__slug="sex", code="1" if int(sequence) % 2 else "2").first(),
                id_number=demo_id_number(region_code=employer.region.code, birth=birth, sequence=sequence)
                if employer.region_id
                else None,
                phone=phone,
            )

    def _demo_applicant(self) -> None:
        """The demo applicant's profile with a made-up ID number and mobile number (masked on every page)."""
        user = User.objects.filter(username="applicant").first()
        employer = organisation_resolve(name=DEMO_APPLICANT_HOSPITAL)
        if user is None or employer is None or not employer.region_id or Person.objects.filter(user=user).exists():
            return
        # As the browser test computes it: 51 years (of 365 days) before the demo round closes, 60 days from today.
        birth = timezone.localdate() - dt.timedelta(days=51 * 365 + 60)
        person_create(
            actor=None,
            user=user,
            name="张医生（演示申请人）",
            employer=employer,
            birth_date=birth,
            sex=Code.objects.filter(table__slug="sex", code="1").first(),
            id_number=demo_id_number(region_code=employer.region.code, birth=birth, sequence=DEMO_APPLICANT_SEQUENCE),
            phone=DEMO_APPLICANT_PHONE,
        )
