from django.db import models
from django.utils.translation import gettext_lazy as _


class PairingSource(models.TextChoices):
    """Where a relationship was published: the plan's annexes (provincial hospitals; city hospitals)."""

    PROVINCIAL = "annex1", _("Provincial hospitals (Annex 1)")
    CITY = "annex2", _("City hospitals (Annex 2)")
    OTHER = "other", _("Other")


class PairingRuleKind(models.TextChoices):
    """Checks on the pairing network. The numbers they compare with live in `params`, never in code."""

    SUPPORTED_PER_GENERAL = "supported_per_general", _("County hospitals per tertiary general hospital")
    SUPPORTED_PER_SPECIALTY = "supported_per_specialty", _("County hospitals per tertiary specialty hospital")
    COUNTY_COVERAGE = "county_coverage", _("Every county has a county hospital paired with a city tertiary hospital")
    NO_DUPLICATE = "no_duplicate", _("No relationship listed twice")
    # Settings of the programme's yearly work (not checks on the network):
    DISPATCH_TITLE = "dispatch_title", _("Professional title required of a dispatched doctor")
    ANNUAL_CALENDAR = "annual_calendar", _("When the self-assessments and the annual evaluation open")
    INDICATOR_TARGET = "indicator_target", _("Indicator targets")


# The kinds `pairing_findings` checks on the network; the others are settings of the programme's yearly work.
NETWORK_CHECKS = (
    PairingRuleKind.SUPPORTED_PER_GENERAL,
    PairingRuleKind.SUPPORTED_PER_SPECIALTY,
    PairingRuleKind.COUNTY_COVERAGE,
    PairingRuleKind.NO_DUPLICATE,
)


class AgreementState(models.TextChoices):
    """An agreement version: edited as a draft, approved by both hospitals, superseded by a newer version."""

    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
