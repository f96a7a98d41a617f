"""Forms of the pairing-year page (targets) and of a review (self-assessment or annual evaluation).

The forms check the shape of the input (required fields, numbers within range); the business rules (one
four-ones target of each kind a year, the lock, the window, completeness at submit) are the services',
whose refusals the views put next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.annual.enums import FOCUS_KINDS, Conclusion, ReviewKind, TargetKind, TargetStatus
from medtalent.codes.models import Specialty
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE

TEXTAREA = {"rows": 3}


def specialty_choices() -> list[tuple[str, str]]:
    """The specialties for a select, read once per page (one query whatever the number of forms)."""
    # Translators: 中文：（不限专科）
    choices = [("", _("(no specialty)"))]
    choices += [(str(s.pk), s.name) for s in Specialty.objects.order_by("sort", "code")]
    return choices


class SpecialtyField(forms.ChoiceField):
    """A specialty chosen from precomputed choices; cleans to a `Specialty` or None."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        specialty = Specialty.objects.filter(pk=value).first()
        if specialty is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return specialty


class TargetForm(forms.Form):
    """A new target: a four-ones slot (its kind comes from the slot) or a key specialty/technique (kind chosen)."""

    # Translators: 中文：类别
    kind = forms.ChoiceField(label=_("Kind"), choices=TargetKind.choices)
    # Translators: 中文：目标
    title = forms.CharField(label=_("Target"), max_length=200)
    # Translators: 中文：说明
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs=TEXTAREA)
    )
    # Translators: 中文：专科
    specialty = SpecialtyField(label=_("Specialty"), required=False, choices=())

    def __init__(self, *args, specialties: list | None = None, four_ones_kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = specialties if specialties is not None else specialty_choices()
        if four_ones_kind:
            del self.fields["kind"]  # the slot says which
        else:
            self.fields["kind"].choices = [(k.value, k.label) for k in FOCUS_KINDS]
        self.fields["title"].widget.attrs["maxlength"] = 200


class TargetEditForm(forms.Form):
    # Translators: 中文：目标
    title = forms.CharField(label=_("Target"), max_length=200)
    # Translators: 中文：说明
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs=TEXTAREA)
    )
    # Translators: 中文：专科
    specialty = SpecialtyField(label=_("Specialty"), required=False, choices=())

    def __init__(self, *args, specialties: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = specialties if specialties is not None else specialty_choices()


class TargetStatusForm(forms.Form):
    # Translators: 中文：状态
    status = forms.ChoiceField(label=_("Status"), choices=TargetStatus.choices)
    # Translators: 中文：佐证材料
    evidence = forms.CharField(
        label=_("Evidence"), required=False, max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Translators: 中文：佐证文件（PDF、JPEG或PNG）
    evidence_file = forms.FileField(label=_("Evidence file (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png"


class ReviewForm(forms.Form):
    """The review's texts, a score and a comment per dimension, and the conclusion (evaluation only).

    Scores are optional in a draft; the service requires all of them at submit."""

    # Translators: 中文：工作开展情况及成效
    summary = forms.CharField(
        label=_("Work done and results"), required=False, max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 6})
    )
    # Translators: 中文：存在的问题和不足
    problems = forms.CharField(
        label=_("Problems and shortcomings"),
        required=False,
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Translators: 中文：下一年度工作计划
    plan = forms.CharField(
        label=_("Plan for next year"), required=False, max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, dimensions: list, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        self.kind = kind
        for dimension in dimensions:
            self.fields[f"score_{dimension.pk}"] = forms.DecimalField(
                label=dimension.name,
                required=False,
                min_value=0,
                max_value=dimension.max_score,
                decimal_places=1,
                max_digits=5,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            self.fields[f"comment_{dimension.pk}"] = forms.CharField(
                # Translators: 中文：“%(dimension)s”评语
                label=_("Comment on “%(dimension)s”") % {"dimension": dimension.name},
                required=False,
                max_length=TEXT_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if kind == ReviewKind.EVALUATION:
            self.fields["conclusion"] = forms.ChoiceField(
                # Translators: 中文：评估结论
                label=_("Conclusion"),
                required=False,
                choices=[("", "—"), *Conclusion.choices],
            )

    @classmethod
    def initial_for(cls, review) -> dict:
        initial = {"summary": review.summary, "problems": review.problems, "plan": review.plan}
        initial["conclusion"] = review.conclusion
        if review.pk:
            for score in review.scores.all():
                initial[f"score_{score.dimension_id}"] = score.score
                initial[f"comment_{score.dimension_id}"] = score.comment
        return initial

    def dimension_rows(self):
        """(dimension, score field, comment field) for the template."""
        return [(d, self[f"score_{d.pk}"], self[f"comment_{d.pk}"]) for d in self.dimensions]

    def scores(self) -> dict[int, tuple]:
        return {
            d.pk: (self.cleaned_data.get(f"score_{d.pk}"), self.cleaned_data.get(f"comment_{d.pk}", ""))
            for d in self.dimensions
        }


class ReturnForm(forms.Form):
    # Translators: 中文：退回说明（需要修改的内容）
    note = forms.CharField(
        label=_("What must be changed"),
        required=False,
        max_length=TEXT_MEDIUM,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
