"""Forms of the stint pages. They parse and validate input; the rules and the writes are in services.py,
whose refusals (`ApplicationError.add_to_form`) appear next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_MEDIUM
from medtalent.stints import selectors
from medtalent.stints.enums import StintKind, StintRole, StintState
from medtalent.stints.services import DISPATCH_ROLES, ROLES_FOR_KIND

TEXT_MAX = TEXT_MEDIUM  # as the model (Stint.note, Stint.schedule)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [obj.name]
        if obj.department:
            parts.append(obj.department)
        if obj.title_id:
            parts.append(obj.title.name)
        return " · ".join(parts)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PeriodMixin:
    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # Translators: 结束日期不能早于开始日期。
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned


class PairingStintForm(PeriodMixin, forms.Form):
    """A dispatched doctor (kind dispatch) or an upward trainee (kind upward) of a pairing. The person is
    chosen among the sending hospital's staff; the two hospitals come from the pairing."""

    # Translators: 人员
    person = PersonChoiceField(label=_("Person"), queryset=None, empty_label=_("— choose —"))
    # Translators: 原科室
    home_department = forms.CharField(label=_("Department at home"), max_length=100, required=False)
    # Translators: 派往科室
    host_department = forms.CharField(label=_("Department at the host"), max_length=100, required=False)
    # Translators: 岗位
    role = forms.ChoiceField(label=_("Post"), choices=[(r.value, r.label) for r in DISPATCH_ROLES])
    # Translators: 开始日期
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    # Translators: 结束日期
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    # Translators: 带教老师
    mentor = forms.CharField(label=_("Mentor"), max_length=100, required=False)
    # Translators: 备注
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind: str, pairing, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.pairing = pairing
        self.home = pairing.supporting if kind == StintKind.DISPATCH else pairing.supported
        self.host = pairing.supported if kind == StintKind.DISPATCH else pairing.supporting
        self.fields["person"].queryset = selectors.staff_of(organisation=self.home)
        if kind != StintKind.DISPATCH:
            del self.fields["role"]  # an upward trainee is a trainee


class StintScheduleForm(forms.Form):
    """How the host schedules the person like its own staff."""

    host_department = forms.CharField(label=_("Department at the host"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Post"))
    schedule = forms.CharField(
        # Translators: 门诊、病房排班
        label=_("Clinic and ward schedule"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        # Translators: 例如：周二、周四上午门诊；病房查房；每周一次夜班
        help_text=_("e.g. outpatient clinic Tuesday and Thursday mornings; ward rounds; one night on call a week"),
    )
    mentor = forms.CharField(label=_("Mentor"), max_length=100, required=False)

    def __init__(self, *args, stint, **kwargs):
        super().__init__(*args, prefix="schedule", **kwargs)
        roles = ROLES_FOR_KIND.get(stint.kind, tuple(StintRole))
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class StintUpdateForm(PeriodMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    home_department = forms.CharField(label=_("Department at home"), max_length=100, required=False)
    host_department = forms.CharField(label=_("Department at the host"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="update", **kwargs)


class StintTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=StintState.choices)
    # Translators: 说明
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InboundTraineeForm(PeriodMixin, forms.Form):
    """A foreign trainee received by a member hospital of the alliance."""

    # Translators: 学员姓名
    name = forms.CharField(label=_("Trainee's name"), max_length=50)
    # Translators: 国外派出机构
    home = OrganisationChoiceField(label=_("Institution abroad"), queryset=None, empty_label=_("— choose —"))
    # Translators: 接收医院（联盟成员单位）
    host = OrganisationChoiceField(label=_("Host member hospital"), queryset=None, empty_label=_("— choose —"))
    # Translators: 专业委员会
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=None, required=False, empty_label=_("— none —"))
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    host_department = forms.CharField(label=_("Department at the host"), max_length=100, required=False)
    mentor = forms.CharField(label=_("Mentor"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, alliance_ids: list[int], **kwargs):
        super().__init__(*args, prefix="inbound", **kwargs)
        self.fields["home"].queryset = selectors.foreign_institutions()
        self.fields["host"].queryset = selectors.alliance_member_hospitals(alliance_ids=alliance_ids)
        self.fields["committee"].queryset = selectors.alliance_committees(alliance_ids=alliance_ids)
