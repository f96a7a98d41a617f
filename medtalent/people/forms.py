"""Forms of the people app: the profile (with its language certificates and an upload), the unit's filters and
the incident confirmation.

The profile form never shows the stored ID number or phone: their inputs start empty with the masked value as
placeholder, and an empty input keeps what is stored. Whatever the person types stays in the form, with the
error next to the field, until it is valid.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from medtalent.codes.idnumber import normalise_id_number, validate_id_number
from medtalent.codes.models import Code, Specialty
from medtalent.core.limits import TEXT_NOTE
from medtalent.people import selectors
from medtalent.people.enums import CefrLevel, DocumentKind, LanguageTest
from medtalent.people.facts_check import date_problem, language_result_problems
from medtalent.people.masking import mask_id_number, mask_phone
from medtalent.people.models import Person
from medtalent.people.services import ID_NUMBER_UNAVAILABLE, PROFILE_FIELDS, SENSITIVE_FIELDS
from medtalent.people.uploads import check_upload

# Fields checked together against the ID number: on autosave, none of them is saved while one is wrong.
ID_GROUP = ("id_number", "birth_date", "sex")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{4,18}[0-9]$")


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return obj.name


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return obj.name


class SpecialtyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Specialty) -> str:
        return obj.name


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        region = obj.region.name if obj.region_id else ""
        return f"{obj.name}（{region}）" if region else obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TelInput(forms.TextInput):
    input_type = "tel"


class PersonProfileForm(forms.ModelForm):
    """Every field of the profile that the person fills in, in the sections the page shows."""

    SECTIONS = (
        ("basic", _("Basic information"), ("name", "sex", "ethnicity", "political_status", "birth_date", "id_number")),
        (
            "education",
            _("Education and professional title"),
            (
                "education",
                "degree",
                "graduated_from",
                "graduated_on",
                "title",
                "title_obtained_on",
                "residency_completed",
                "licence_number",
                "licence_obtained_on",
                "specialty",
            ),
        ),
        ("employer", _("Employer"), ("employer", "department")),
        ("contact", _("Contact and health"), ("phone", "email", "native_place", "health_status")),
        ("designations", _("Talent designations"), ("designations",)),
        ("languages", _("Foreign languages"), ("language_self_assessment",)),
        ("experience", _("Experience"), ("admin_years", "teaching_experience", "teaching_note", "cv_text")),
        ("incident", _("Serious medical incidents"), ("serious_incident_declared",)),
    )

    # Longer than the 18 stored characters: spaces and full-width digits typed are removed when checking.
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=40,
    )

    class Meta:
        model = Person
        fields = [*PROFILE_FIELDS, "designations"]
        field_classes = {
            "sex": CodeChoiceField,
            "ethnicity": CodeChoiceField,
            "political_status": CodeChoiceField,
            "education": CodeChoiceField,
            "degree": CodeChoiceField,
            "title": CodeChoiceField,
            "specialty": SpecialtyChoiceField,
            "employer": EmployerChoiceField,
            "designations": CodeMultipleChoiceField,
        }
        widgets = {
            "birth_date": DateInput(),
            "phone": TelInput(),
            "graduated_on": DateInput(),
            "title_obtained_on": DateInput(),
            "licence_obtained_on": DateInput(),
            "designations": forms.CheckboxSelectMultiple,
            "teaching_note": forms.Textarea(attrs={"rows": 3}),
            "language_self_assessment": forms.Textarea(attrs={"rows": 3}),
            "cv_text": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            # Translators: 中文：本人有严重医疗事故记录
            "serious_incident_declared": _("I have a serious medical incident on record"),
        }
        help_texts = {
            "serious_incident_declared": _(
                "Tick if a serious medical incident is on your record; your unit checks it."
            ),
            "cv_text": _("Your career in short: posts, years, main work. You may also upload a CV file below."),
            "teaching_note": _("Clinical teaching or education-management experience, if any."),
            # Translators: 中文：执业证书上的编号。
            "licence_number": _("The number on the practising licence (执业证书)."),
        }

    def __init__(self, *args, check_unique: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Off for a logged-out POST: its typed values come back, but nobody may probe for ID numbers on file.
        self.check_unique = check_unique
        person = self.instance
        # What is stored now, before the form changes the instance in memory.
        self.stored_id_number = person.id_number or ""
        self.stored_phone = person.phone or ""
        for name, table in (
            ("sex", "sex"),
            ("ethnicity", "ethnicity"),
            ("political_status", "political_status"),
            ("education", "education"),
            ("degree", "degree"),
            ("title", "title"),
        ):
            self.fields[name].queryset = selectors.profile_codes(table=table)
        self.fields["designations"].queryset = selectors.profile_codes(table="designation")
        self.fields["specialty"].queryset = Specialty.objects.order_by("sort", "code")
        # An employer set by a bulk import may be outside the usual list: it stays selectable.
        self.fields["employer"].queryset = selectors.employer_choices(include_pk=person.employer_id)
        self.fields["employer"].help_text = _("Type part of the name in the search box to narrow the list.")
        self.fields["admin_years"].widget.attrs.update({"min": 0, "max": 60, "inputmode": "numeric"})
        self.fields["admin_years"].validators.append(_max_admin_years)

        id_field = self.fields["id_number"]
        id_field.help_text = _("18 characters (GB 11643); the date of birth and sex are checked against it.")
        id_field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "maxlength": 24})
        phone_field = self.fields["phone"]
        phone_field.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        # The stored values are never put in the page: the inputs start empty, the placeholder is masked.
        self.initial["id_number"] = ""
        self.initial["phone"] = ""
        if self.stored_id_number:
            id_field.widget.attrs["placeholder"] = mask_id_number(self.stored_id_number)
            id_field.help_text = _("Leave empty to keep the number on file; type a new one to change it.")
        if self.stored_phone:
            phone_field.widget.attrs["placeholder"] = mask_phone(self.stored_phone)
            phone_field.help_text = _("Leave empty to keep the number on file.")
        self.id_result = None
        # Sensitive information only after the person's separate consent (PIPL art. 29; checked again by the
        # service): until then the inputs are disabled and say why. Not for a logged-out POST (typed values back).
        self.sensitive_allowed = not check_unique or selectors.person_has_sensitive_consent(person=person)
        if not self.sensitive_allowed:
            for name in SENSITIVE_FIELDS:
                self.fields[name].disabled = True
                # Translators: 中文：请先在“敏感个人信息单独同意”页面同意后再填写。
                self.fields[name].help_text = _("Please agree first on the page “Sensitive personal information”.")

    @property
    def sections(self) -> list[dict]:
        return [
            {"key": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in self.SECTIONS
        ]

    def clean_id_number(self) -> str | None:
        raw = self.cleaned_data.get("id_number") or ""
        if not normalise_id_number(raw):
            if self.stored_id_number:
                self.id_result = validate_id_number(self.stored_id_number)
            return self.stored_id_number or None
        result = validate_id_number(raw)
        if not result.valid:
            raise ValidationError([message for _part, message in result.errors], code="invalid_id_number")
        self.id_result = result
        return result.normalised

    def clean_phone(self) -> str:
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return self.stored_phone
        if not PHONE_PATTERN.match(raw):
            # Translators: 中文：请填写电话号码：只能包含数字、空格、“+”和“-”。
            raise ValidationError(_("Enter a phone number: digits, spaces, + and - only."), code="invalid_phone")
        return raw

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()

    def clean_licence_number(self) -> str:
        return (self.cleaned_data.get("licence_number") or "").strip()

    def _clean_past_date(self, name: str):
        value = self.cleaned_data.get(name)
        problem = date_problem(value)
        if problem:
            raise ValidationError(problem, code="future_date")
        return value

    def clean_graduated_on(self):
        return self._clean_past_date("graduated_on")

    def clean_title_obtained_on(self):
        return self._clean_past_date("title_obtained_on")

    def clean_licence_obtained_on(self):
        return self._clean_past_date("licence_obtained_on")

    def clean(self):
        cleaned = super().clean()
        result = self.id_result
        if result is None or not result.valid:
            return cleaned
        if "birth_date" in cleaned:
            if cleaned["birth_date"] is None:
                cleaned["birth_date"] = result.birth_date
            elif cleaned["birth_date"] != result.birth_date:
                self.add_error(
                    "birth_date",
                    ValidationError(
                        # Translators: 中文：出生日期与身份证号码不一致：按身份证号码应为%(date)s。
                        _("The date of birth does not match the ID number, which gives %(date)s."),
                        code="birth_date_mismatch",
                        params={"date": result.birth_date.isoformat()},
                    ),
                )
        if "sex" in cleaned:
            sex = cleaned["sex"]
            if sex is None and result.sex:
                cleaned["sex"] = self.fields["sex"].queryset.filter(code=result.sex).first()
            elif sex is not None and sex.code in ("1", "2") and sex.code != result.sex:
                expected = self.fields["sex"].queryset.filter(code=result.sex).first()
                self.add_error(
                    "sex",
                    ValidationError(
                        # Translators: 中文：性别与身份证号码不一致：按身份证号码第17位应为%(sex)s。
                        _("The sex does not match the ID number: its 17th digit stands for %(sex)s."),
                        code="sex_mismatch",
                        params={"sex": expected.name if expected else result.sex},
                    ),
                )
        return cleaned

    def validate_unique(self):
        if not self.check_unique:
            return
        super().validate_unique()
        number = self.cleaned_data.get("id_number")
        if number and "id_number" not in self.errors:
            holder = selectors.person_by_id_number(id_number=number)
            if holder is not None and holder.pk != self.instance.pk:
                # The same words as the service's refusal (services.ID_NUMBER_UNAVAILABLE): nothing about the holder.
                self.add_error("id_number", ValidationError(ID_NUMBER_UNAVAILABLE, code="id_number_unavailable"))

    def valid_data(self) -> dict:
        """The fields that passed validation (for autosave): the ID group only when all of it is right."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if any(name in self.errors for name in ID_GROUP):
            for name in ID_GROUP:
                data.pop(name, None)
        return data


def _max_admin_years(value):
    if value is not None and value > 60:
        raise ValidationError(_("Enter a number of years from 0 to 60."), code="max_value")


class CertificateRowForm(forms.Form):
    """One foreign-language result: the test, its score or CEFR level (or both), and the date. `id` identifies a
    stored row; new rows have none."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    test = forms.ChoiceField(label=_("Test"), choices=[("", "—"), *LanguageTest.choices])
    # Translators: 中文：成绩
    score = forms.CharField(label=_("Score"), max_length=20, required=False)
    level = forms.ChoiceField(
        # Translators: 中文：等级（CEFR）
        label=_("Level (CEFR)"),
        choices=[("", "—"), *CefrLevel.choices],
        required=False,
        # Translators: 中文：等级应为 A1、A2、B1、B2、C1 或 C2。
        error_messages={"invalid_choice": _("The level must be one of A1, A2, B1, B2, C1, C2.")},
    )
    taken_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def clean_score(self) -> str:
        return (self.cleaned_data.get("score") or "").strip()

    def clean(self):
        cleaned = super().clean() or {}
        if self.errors or not self.has_changed():
            return cleaned
        problems = language_result_problems(
            test=cleaned.get("test", ""),
            score=cleaned.get("score", ""),
            level=cleaned.get("level", ""),
            taken_on=cleaned.get("taken_on"),
        )
        for name, message in problems.items():
            self.add_error(name, ValidationError(message, code="invalid"))
        return cleaned


class BaseCertificateFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The rows to save: changed or stored ones, with their deletion mark (call after is_valid)."""
        rows = []
        for form in self.forms:
            marked = self._should_delete_form(form)
            row_id = form.cleaned_data.get("id") if hasattr(form, "cleaned_data") else None
            if not form.has_changed() and not row_id:
                rows.append(None)
                continue
            if marked:
                rows.append({"id": _raw_id(form), "delete": True})
                continue
            rows.append({**form.cleaned_data, "delete": False})
        return rows


def _raw_id(form) -> int | None:
    value = form.data.get(form.add_prefix("id")) if form.is_bound else None
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


CertificateFormSet = forms.formset_factory(
    CertificateRowForm,
    formset=BaseCertificateFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)
CERTIFICATE_PREFIX = "lang"


def certificate_formset(*, person: Person | None, data=None) -> BaseCertificateFormSet:
    """Unbound: the stored rows and one empty row. Bound: the posted rows alone (a page that autosaved may
    hold more rows than it was first given, so the stored list is no guide to the posted one)."""
    initial = []
    if data is None and person is not None and person.pk:
        initial = [
            {"id": c.pk, "test": c.test, "score": c.score, "level": c.level, "taken_on": c.taken_on}
            for c in person.language_certificates.all()
        ]
    return CertificateFormSet(data=data, initial=initial, prefix=CERTIFICATE_PREFIX)


class TitleRecordRowForm(forms.Form):
    """An earlier professional title and the date it was obtained. `id` identifies a stored row."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # Translators: 中文：专业技术职务
    title = CodeChoiceField(label=_("Professional title"), queryset=Code.objects.none(), empty_label="—")
    # Translators: 中文：取得日期
    obtained_on = forms.DateField(label=_("Obtained on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = selectors.profile_codes(table="title")

    def clean_obtained_on(self):
        value = self.cleaned_data.get("obtained_on")
        problem = date_problem(value)
        if problem:
            raise ValidationError(problem, code="future_date")
        return value


class BaseTitleRecordFormSet(BaseCertificateFormSet):
    def clean(self):
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form) or not form.has_changed():
                continue
            title = form.cleaned_data.get("title")
            if title is None:
                continue
            if title.pk in seen:
                # Translators: 中文：同一职称只能填写一次。
                form.add_error("title", ValidationError(_("This title is listed twice."), code="duplicate"))
            seen.add(title.pk)


TitleRecordFormSet = forms.formset_factory(
    TitleRecordRowForm,
    formset=BaseTitleRecordFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)
TITLE_PREFIX = "titles"


def title_record_formset(*, person: Person | None, data=None) -> BaseTitleRecordFormSet:
    """Earlier titles: unbound, the stored rows and one empty row; bound, the posted rows."""
    initial = []
    if data is None and person is not None and person.pk:
        initial = [{"id": r.pk, "title": r.title_id, "obtained_on": r.obtained_on} for r in person.title_records.all()]
    return TitleRecordFormSet(data=data, initial=initial, prefix=TITLE_PREFIX)


class DocumentUploadForm(forms.Form):
    """An upload inside the profile: checked by content, not by its name or the browser's content type."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.PHOTO)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG; the photo must be a JPEG or PNG image."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded and "kind" in cleaned:
            try:
                self.checked = check_upload(uploaded, kind=cleaned["kind"])
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned


DOCUMENT_PREFIX = "doc"


class IncidentConfirmForm(forms.Form):
    CONFIRMED, CLEARED = "confirmed", "cleared"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            # Translators: 中文：确认：有严重医疗事故记录
            (CONFIRMED, _("Confirmed: a serious medical incident is on record")),
            # Translators: 中文：核实：无严重医疗事故记录
            (CLEARED, _("Cleared: no serious medical incident on record")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=TEXT_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRMED
