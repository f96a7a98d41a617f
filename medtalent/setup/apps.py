from django.apps import AppConfig


class SetupConfig(AppConfig):
    """Setting up an installation: the commands that fill an empty database (`load_seeds`, `load_demo`). No
    models, so no name shown anywhere."""

    name = "medtalent.setup"
    label = "setup"
