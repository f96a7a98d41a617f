"""factory_boy factories. Codes are fetched from the seeded tables where they exist."""

from __future__ import annotations

import datetime as dt

import factory

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.catalog.enums import ProgrammeStatus, ProgrammeType, Track
from medtalent.catalog.models import Offering, Programme, ProgrammeSpecialty, Quota, Round
from medtalent.codes.models import Code, CodeTable, Specialty
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation


def code(table_slug: str, value: str) -> Code:
    """A code from a seeded table (region, country …), created if a test needs one the seeds lack."""
    table, _ = CodeTable.objects.get_or_create(
        slug=table_slug, defaults={"name_zh": table_slug, "standard": "test", "version": "test"}
    )
    obj, _ = Code.objects.get_or_create(table=table, code=value, defaults={"name_zh": value, "name_en": value})
    return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name_zh = factory.Sequence(lambda n: f"测试医院{n}")
    name_en = factory.Sequence(lambda n: f"Test Hospital {n}")
    kind = OrganisationKind.HOSPITAL


class CommissionFactory(OrganisationFactory):
    code = factory.Sequence(lambda n: f"commission-{n}")
    name_zh = factory.Sequence(lambda n: f"测试卫健委{n}")
    kind = OrganisationKind.COMMISSION
    region = factory.LazyFunction(lambda: code("region", "350000"))  # Fujian: no seed programme there


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.APPLICANT


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty

    code = factory.Sequence(lambda n: f"specialty-{n}")
    name_zh = factory.Sequence(lambda n: f"测试专科{n}")
    name_en = factory.Sequence(lambda n: f"Test specialty {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"test-programme-{n}")
    name_zh = factory.Sequence(lambda n: f"测试项目{n}")
    name_en = factory.Sequence(lambda n: f"Test programme {n}")
    owner = factory.SubFactory(CommissionFactory)
    programme_type = ProgrammeType.OVERSEAS_FELLOWSHIP
    status = ProgrammeStatus.PUBLISHED
    duration_min = 2
    duration_max = 3

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set([code("country", c) for c in extracted])


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"test-round-{n}")
    name_zh = factory.Sequence(lambda n: f"第{n}批")
    year = 2026


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    round = factory.SubFactory(RoundFactory)
    host = factory.SubFactory(OrganisationFactory)
    track = Track.DOCTOR


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    programme = factory.SubFactory(ProgrammeFactory)
    track = Track.DOCTOR
    maximum = 10


class ProgrammeSpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSpecialty

    programme = factory.SubFactory(ProgrammeFactory)
    specialty = factory.SubFactory(SpecialtyFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    """A profile complete enough to apply (employer, birth date, bachelor's degree, intermediate title)."""

    class Meta:
        model = "people.Person"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试申请人{n}")
    birth_date = dt.date(1985, 3, 15)
    employer = factory.SubFactory(OrganisationFactory)
    education = factory.LazyFunction(lambda: code("education", "21"))
    title = factory.LazyFunction(lambda: code("title", "233"))
    phone = "13812345678"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application of a person to a round, through the person's employer."""

    class Meta:
        model = "applications.Application"

    person = factory.SubFactory(PersonFactory)
    round = factory.SubFactory(RoundFactory)
    unit = factory.LazyAttribute(lambda a: a.person.employer)
