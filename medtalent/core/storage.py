"""Private file storage: uploads live under MEDIA_ROOT, outside the web root, with no public URL.

It is `STORAGES["default"]` unless an S3-compatible object store is configured (config/settings.py); every
FileField uses the default storage, so the choice is configuration. Files are only ever served by views that
check permissions first (see people.views.DocumentDownloadView).
"""

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs["base_url"] = None  # location: MEDIA_ROOT, read when first used (and again when a test changes it)
        super().__init__(**kwargs)

    def url(self, name):  # pragma: no cover - guarded: private files have no URL
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")
