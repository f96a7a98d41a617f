from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    """Yearly indicators of a county hospital, in per cent."""

    IN_COUNTY_VISIT_RATE = "in_county_visit_rate", _("In-county visit rate")  # 县域内就诊率
    REFERRAL_OUT_RATE = "referral_out_rate", _("Referral-out rate")  # 外转率
