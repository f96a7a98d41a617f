from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "medtalent.policy"
    label = "policy"
    # Translators: 中文：经费、服务期与考核等级
    verbose_name = _("Money, service and grading")
