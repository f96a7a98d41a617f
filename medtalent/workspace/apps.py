from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top of the layers: the user's workspace (`/me/`, the to-do list of every workflow app) and the
    navigation. It may import every app; no app imports it."""

    name = "medtalent.workspace"
    label = "workspace"
    # Translators: 中文：工作台
    verbose_name = _("Workspace")
