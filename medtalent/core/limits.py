"""Upper bounds of free text. Every TextField of the project is `limited_text_field(..., max_length=TEXT_…)`:
the limit is in the model (a MaxLengthValidator, so `full_clean` and the admin refuse a longer text), in its
ModelForm field (Django gives a TextField's max_length to the form field and the textarea), in the API
schemas (`Field(max_length=…)` with the same constant) and in the services that write the field without a
form (`check_lengths`). A text without bound costs whoever reads it: a CV of 1 MB took 43 s to lay out in the
application PDF.

The numbers fit what each field holds and every value of the seed data (the longest today: a programme's
notes in English, 2,660 characters; the privacy notice, 812).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError

TEXT_NOTE = 1_000  # a note or a comment, a rule's wording, a short list (supervisors), a self-assessment
TEXT_MEDIUM = 2_000  # a paragraph: a unit's opinion, a justified exception, a target and its evidence, a category
TEXT_LONG = 5_000  # a page: a CV, one part of a study plan, a description, a clause of an agreement, a review
TEXT_DOCUMENT = 20_000  # a whole published text: the privacy notice


def limited_text_field(*args, max_length: int, validators: list | tuple = (), **kwargs) -> models.TextField:
    """A TextField of at most `max_length` characters, checked by forms and by `full_clean`."""
    return models.TextField(
        *args, max_length=max_length, validators=[MaxLengthValidator(max_length), *validators], **kwargs
    )


def text_too_long(*, label: Any, limit: int, length: int, field: str) -> ApplicationError:
    """The refusal of a text longer than its limit, naming the field and the limit."""
    return ApplicationError(
        # Translators: 中文：“%(field)s”过长：最多%(max)s个字，现有%(count)s个字。
        _("“%(field)s” is too long: at most %(max)s characters, this has %(count)s.")
        % {"field": capfirst(str(label)), "max": f"{limit:,}", "count": f"{length:,}"},
        field=field,
        extra={"max_length": limit, "length": length},
    )


def check_length(value: Any, *, limit: int, label: Any, field: str) -> None:
    """Refuse (ApplicationError at `field`) a text longer than `limit`; anything else passes."""
    if isinstance(value, str) and len(value) > limit:
        raise text_too_long(label=label, limit=limit, length=len(value), field=field)


def check_lengths(
    model: type[models.Model], values: Mapping[str, Any], *, fields: Mapping[str, str] | None = None
) -> None:
    """Refuse the first text of `values` (field name → value) longer than the model field's max_length, in the
    order given. A service calls it before it writes text that no form has checked (an API, a batch).
    `fields` renames a model field in the refusal (e.g. to the form's field name)."""
    fields = fields or {}
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        limit = getattr(model_field, "max_length", None)
        if limit:
            check_length(value, limit=limit, label=model_field.verbose_name, field=fields.get(name, name))
