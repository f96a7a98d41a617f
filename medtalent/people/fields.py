"""Personal fields encrypted at rest, and the keyed hash that finds a person by ID number.

The encrypted fields are django-fernet-encrypted-fields' (`encrypted_fields.fields`), with three changes:

- the Fernet keys are derived once per process for every field (PBKDF2, 100,000 rounds each) and derived again
  when the settings change (`SECRET_KEY`, `SECRET_KEY_FALLBACKS`, `SALT_KEY`): a new key needs no restart of a
  test, and four fields do not cost four derivations;
- an empty text stays an empty text ("" in the column), so a field without a value needs no NULL;
- a value that is a Fernet token but cannot be decrypted with any of the keys raises `FieldDecryptionError`
  instead of being shown (and saved again) as its ciphertext, which the library does. A value that is not a
  token at all is a row written before the data migration and is read as it is;
- `clean` checks the clear value without the library's flag on the shared field instance (left set when a
  validator fails, after which the library decrypts nothing more in that process).

Encryption uses the first key (`SECRET_KEY` with the first salt); decryption tries every combination, so keys
rotate by putting the new one first and running `manage.py rotate_field_keys` (docs/security/personal-data.md).

`KeyedHashField` holds HMAC-SHA256 (key `FIELD_HASH_KEY`) of another field's normalised value; it is computed
whenever the row is written (`pre_save`, also in `bulk_create`), so equality look-ups and the uniqueness of the
ID number work on it while the number itself is stored encrypted.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.db import models
from encrypted_fields.fields import EncryptedCharField, EncryptedFieldMixin, EncryptedTextField

from medtalent.codes.idnumber import normalise_id_number

# Every Fernet token starts with version byte 0x80, "gAAAAA" in URL-safe base64.
TOKEN_PREFIX = "gAAAAA"


class FieldDecryptionError(Exception):
    """A stored value is encrypted with a key this installation does not have."""


def _salts() -> list[str]:
    salts = settings.SALT_KEY
    return list(salts) if isinstance(salts, list | tuple) else [salts]


@functools.lru_cache(maxsize=4)
def _fernet(secrets: tuple[str, ...], salts: tuple[str, ...]) -> MultiFernet:
    keys = []
    for secret in secrets:
        for salt in salts:
            kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100_000)
            keys.append(Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode()))))
    return MultiFernet(keys)


def field_fernet() -> MultiFernet:
    """The keys of the settings now: encrypts with the newest, decrypts with any."""
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return _fernet(tuple(secrets), tuple(_salts()))


class _EncryptedMixin(EncryptedFieldMixin):
    @property
    def f(self) -> MultiFernet:  # type: ignore[override]
        return field_fernet()

    def get_prep_value(self, value: Any) -> Any:
        if value == "":
            return ""
        return super().get_prep_value(value)

    def clean(self, value: Any, model_instance) -> Any:
        # The value being cleaned is the clear one (a form's, the model's): checked as it is, never decrypted. The
        # library marks the field instance (shared by every row and thread) while it cleans and forgets to unmark
        # it when a validator fails, after which no value of the process would be decrypted any more.
        value = super(EncryptedFieldMixin, self).to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            try:
                value = self.f.decrypt(value.encode()).decode()
            except InvalidToken as error:
                raise FieldDecryptionError(
                    f"{self.model.__name__}.{self.name} cannot be decrypted: SECRET_KEY, SECRET_KEY_FALLBACKS or "
                    "FIELD_ENCRYPTION_SALTS lacks the key it was written with."
                ) from error
        # Past the library's to_python (which would pass a token it cannot decrypt through as text).
        return super(EncryptedFieldMixin, self).to_python(value)


class EncryptedChar(_EncryptedMixin, EncryptedCharField):
    """A CharField stored encrypted (a text column); max_length is still checked on the clear value."""


class EncryptedText(_EncryptedMixin, EncryptedTextField):
    """A TextField stored encrypted; max_length is still checked on the clear value."""


def keyed_hash(value: str | None) -> str | None:
    """HMAC-SHA256 (key FIELD_HASH_KEY) of a normalised ID number, as hex; None for no number."""
    number = normalise_id_number(value)
    if not number:
        return None
    return hmac.new(settings.FIELD_HASH_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


class KeyedHashField(models.CharField):
    """The keyed hash of the field `source` of the same row, computed on every write (never set by hand)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = keyed_hash(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields_of(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]


def hash_fields_of(model: type[models.Model]) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
