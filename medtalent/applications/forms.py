"""Forms of the application pages. They only parse and validate input; the writes are in services.py."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.applications.enums import ApplicationState
from medtalent.catalog.enums import DurationUnit
from medtalent.catalog.models import Offering
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM

# How many ranked choices the form offers when a round has several offerings.
MAX_PREFERENCES = 3
TEXT_MAX = TEXT_LONG  # as the model (Application.reason, plan_*)
TEXT_FIELDS = ("reason", "plan_purpose", "plan_content", "plan_goals")


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX})


class ApplicationForm(forms.Form):
    """What the applicant types. Every field is optional here (drafts are saved half-filled); the
    submission service says what is still missing."""

    requested_duration = forms.IntegerField(
        label=_("Requested duration"), required=False, min_value=1, max_value=999, widget=forms.NumberInput
    )
    requested_duration_unit = forms.ChoiceField(
        label=_("Unit"), choices=DurationUnit.choices, initial=DurationUnit.MONTH
    )
    requested_department = forms.CharField(
        # Translators: 申请进修科室（专业）
        label=_("Requested department or specialty"),
        required=False,
        max_length=100,
    )
    intended_host = forms.CharField(
        # Translators: 中文：拟申请研修单位
        label=_("Intended host institution"),
        # Translators: 中文：您希望前往研修的医院或机构（申请表上的“拟申请研修单位”）。
        help_text=_("The hospital or institution where you would like to train (on the official form)."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"aria-describedby": "id_intended_host-hint"}),
    )
    # Translators: 申请进修原因
    reason = forms.CharField(label=_("Why you apply"), required=False, max_length=TEXT_MAX, widget=_textarea())
    plan_purpose = forms.CharField(
        # Translators: 研修目的
        label=_("Purpose of the stay"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(4),
    )
    plan_content = forms.CharField(
        # Translators: 研修内容
        label=_("What you will study"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(6),
    )
    plan_goals = forms.CharField(
        # Translators: 研修目标
        label=_("Goals"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(4),
    )

    def __init__(
        self,
        *args,
        offerings: list[Offering] | None = None,
        keep_preferences: bool = False,
        duration_check: Callable[[int | None, str], str | None] | None = None,
        **kwargs,
    ):
        """`offerings`: the round's offerings; ranked choices are offered when there are several.
        `keep_preferences`: carry posted choices in hidden inputs (the re-login page knows no round).
        `duration_check`: says why a requested duration (value, unit) is outside the allowed range, or None."""
        super().__init__(*args, **kwargs)
        self.duration_check = duration_check
        self.offerings = offerings or []
        self.preference_names: list[str] = []
        if len(self.offerings) > 1:
            for rank in range(1, min(MAX_PREFERENCES, len(self.offerings)) + 1):
                name = f"preference_{rank}"
                self.fields[name] = forms.TypedChoiceField(
                    label=_("Choice %(rank)s") % {"rank": rank},
                    choices=[("", _("— none —")), *[(o.pk, str(o)) for o in self.offerings]],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
                self.preference_names.append(name)
        elif keep_preferences:
            for rank in range(1, MAX_PREFERENCES + 1):
                name = f"preference_{rank}"
                self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)
        # 拟申请研修单位: the ranked choices say it when there are several offerings, the one offering's host when it
        # names one; otherwise the applicant types it.
        self.asks_intended_host = not self.preference_names and not any(o.host_id for o in self.offerings)
        if not self.asks_intended_host:
            del self.fields["intended_host"]
        # A field an autosave did not send is left as it is: it cannot be missing.
        if self.is_bound:
            for name, field in self.fields.items():
                if not self.sent(name):
                    field.required = False

    @property
    def preference_fields(self) -> list:
        return [self[name] for name in self.preference_names]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in self.preference_names if cleaned.get(name)]
        if len(set(chosen)) != len(chosen):
            self.add_error(self.preference_names[0], _("The same offering is chosen twice."))
        self._check_duration(cleaned or {})
        return cleaned

    def _check_duration(self, cleaned: dict) -> None:
        """The requested duration (as sent, or as stored when not sent) within the category's range."""
        if self.duration_check is None or "requested_duration" in self.errors:
            return
        if not (self.sent("requested_duration") or self.sent("requested_duration_unit")):
            return
        value = cleaned.get("requested_duration") if self.sent("requested_duration") else None
        if not self.sent("requested_duration"):
            value = self.initial.get("requested_duration")
        unit = cleaned.get("requested_duration_unit") or self.initial.get("requested_duration_unit") or ""
        problem = self.duration_check(value, unit)
        if problem:
            self.add_error("requested_duration", problem)
            if "requested_duration_unit" not in self.errors:
                cleaned.pop("requested_duration_unit", None)

    def sent(self, name: str) -> bool:
        """Whether the request carried this field: a field left out (an autosave of one field) is left as it was."""
        return name in self.data

    def valid_data(self) -> dict:
        """The fields sent that validated (invalid ones and those not sent are left as they were): for autosave of a
        half-typed form."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and not name.startswith("preference_") and self.sent(name)
        }

    def chosen_offerings(self) -> list[Offering] | None:
        """The ranked offerings (gaps closed), or None when the form has no choices, they are invalid or none of
        them was sent."""
        if not self.preference_names or any(name in self.errors for name in self.preference_names):
            return None
        if not any(self.sent(name) for name in self.preference_names):
            return None
        if self.errors.get("__all__"):
            return None
        # A choice not sent keeps its value (the form's initial: the stored choices).
        chosen = [
            self.cleaned_data.get(name) if self.sent(name) else self.initial.get(name) for name in self.preference_names
        ]
        chosen = [pk for pk in chosen if pk]
        if len(set(chosen)) != len(chosen):
            self.add_error(self.preference_names[0], _("The same offering is chosen twice."))
            return None
        by_pk = {o.pk: o for o in self.offerings}
        return [by_pk[pk] for pk in chosen if pk in by_pk]


class ReloginForm(forms.Form):
    """Username and password typed on the form page itself when the session has expired."""

    login_username = forms.CharField(label=_("Username"), max_length=150)
    login_password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    # Issue 10: the second step, asked (needs_code) of an account with an authenticator app.
    # Translators: 中文：验证码
    login_code = forms.CharField(label=_("Verification code"), max_length=20, required=False)
    needs_code = False


DECISIONS = [
    (ApplicationState.RECOMMENDED, _("Recommend")),
    (ApplicationState.RETURNED, _("Return to the applicant")),
    (ApplicationState.REJECTED, _("Reject")),
]


class DecisionForm(forms.Form):
    """The unit's decision on one or many applications, with one opinion text that goes on the form."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=True)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    # Translators: 工作单位意见
    opinion = forms.CharField(
        label=_("Unit opinion"), required=False, max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; the selector keeps only the user's own unit's applications.
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in values if str(v).isdigit()]
        self.fields["ids"].error_messages["required"] = _("Tick at least one application.")


class ExceptionForm(forms.Form):
    # Translators: 破格理由（如：具有同等学术、技术水平）
    note = forms.CharField(
        label=_("Why the applicant is accepted although a condition is not met"),
        max_length=TEXT_MEDIUM,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
