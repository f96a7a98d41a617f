"""Try a category's rule set on a person, from the catalogue admin: "what would these rules say?".

The commission administrator who manages the programme picks a profile (people employed inside their
jurisdiction only, found by name) or types the facts (birth date, education, title and its date, licence date,
a language result, the employer's level and tags, designations …), and sees each rule's verdict (passed,
failed, pending) and reason, groups with their sub-rules, as the engine judges them on the reference date
given. Nothing is written. The catalogue admin links here by URL name (`eligibility:category_preview`); it
cannot import this module (catalog lies below eligibility).

Anyone else: a visitor is sent to log in, a user who is not a commission administrator gets 403, a category
of a programme the administrator does not manage answers 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from medtalent.accounts.rules import is_commission_admin
from medtalent.accounts.selectors import jurisdiction_q
from medtalent.catalog.enums import RuleKind
from medtalent.catalog.models import Category, Round
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.codes.selectors import code_ranks
from medtalent.eligibility.engine import evaluate
from medtalent.eligibility.facts import Facts, LanguageResult, Outcome, Result
from medtalent.eligibility.selectors import facts_for_person, rules_for
from medtalent.orgs.models import Tag
from medtalent.people.enums import CefrLevel, LanguageTest, VerifiedFact
from medtalent.people.models import LanguageCertificate, Person
from medtalent.people.selectors import people_visible_to

# At most this many people are listed for a name searched (a preview, not a directory).
PEOPLE_LISTED = 20
# Sub-rules are indented up to this depth (css/admin-catalog.css).
MAX_DEPTH_SHOWN = 5
LEVELS: list[tuple[str, Any]] = [
    ("", "---------"),
    # Translators: 中文：三级医院
    ("3", _("level 3 hospitals")),
    # Translators: 中文：二级医院
    ("2", _("level 2 hospitals")),
    # Translators: 中文：一级医院
    ("1", _("level 1 hospitals")),
]


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


class PreviewFactsForm(forms.Form):
    """The facts of an imagined applicant (every field optional but the reference date)."""

    as_of = forms.DateField(
        # Translators: 中文：参照日
        label=_("reference date"),
        # Translators: 中文：年龄等条件按此日计算。
        help_text=_("Ages and other conditions are checked on this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    birth_date = forms.DateField(
        label=_("date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    education_code = forms.ChoiceField(label=_("education"), required=False)
    title_code = forms.ChoiceField(label=_("professional title"), required=False)
    title_obtained_on = forms.DateField(
        label=_("title obtained on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    residency_completed = forms.BooleanField(label=_("residency training completed"), required=False)
    licence_obtained_on = forms.DateField(
        # Translators: 中文：执业证书取得日期
        label=_("practising licence obtained on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    admin_years = forms.IntegerField(
        # Translators: 中文：管理工作年限
        label=_("years of management work"),
        required=False,
        min_value=0,
    )
    teaching_experience = forms.BooleanField(
        # Translators: 中文：有带教经历
        label=_("teaching experience"),
        required=False,
    )
    serious_incident = forms.BooleanField(
        # Translators: 中文：有严重医疗事故
        label=_("a serious medical incident"),
        required=False,
    )
    language_test = forms.ChoiceField(
        # Translators: 中文：外语考试
        label=_("language test"),
        required=False,
        choices=_blank(list(LanguageTest.choices)),
    )
    language_score = forms.DecimalField(
        # Translators: 中文：成绩
        label=_("score"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
    )
    language_level = forms.ChoiceField(
        # Translators: 中文：等级（欧洲语言共同参考框架）
        label=_("CEFR level"),
        required=False,
        choices=_blank(list(CefrLevel.choices)),
    )
    language_taken_on = forms.DateField(
        # Translators: 中文：考试日期
        label=_("test date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    employer_level = forms.ChoiceField(
        # Translators: 中文：工作单位级别
        label=_("employer's level"),
        required=False,
        choices=LEVELS,
    )
    employer_tags = forms.MultipleChoiceField(
        # Translators: 中文：工作单位标签
        label=_("employer's tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    designations = forms.MultipleChoiceField(
        # Translators: 中文：人才称号
        label=_("talent designations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    verified = forms.MultipleChoiceField(
        # Translators: 中文：已由单位核验
        label=_("verified by the unit"),
        required=False,
        choices=VerifiedFact.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ranks = code_ranks()
        choices = {
            "education_code": _blank([(c, f"{c} {ranks.name('education', c)}") for c in sorted(ranks.education)]),
            "title_code": _blank([(c, f"{c} {ranks.name('title', c)}") for c in sorted(ranks.title)]),
            "designations": [
                (c, f"{c} {ranks.name('designation', c)}") for t, c in sorted(ranks.names) if t == "designation"
            ],
            "employer_tags": [(tag.code, f"{tag.name} ({tag.code})") for tag in Tag.objects.order_by("code")],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def facts(self) -> Facts:
        data = self.cleaned_data
        languages: tuple[LanguageResult, ...] = ()
        if data.get("language_test"):
            languages = (
                LanguageResult(
                    test=data["language_test"],
                    score=data.get("language_score"),
                    level=data.get("language_level") or "",
                    taken_on=data.get("language_taken_on"),
                ),
            )
        return Facts(
            birth_date=data.get("birth_date"),
            education_code=data.get("education_code") or "",
            title_code=data.get("title_code") or "",
            residency_completed=bool(data.get("residency_completed")),
            admin_years=data.get("admin_years") or 0,
            teaching_experience=bool(data.get("teaching_experience")),
            employer_level=data.get("employer_level") or "",
            serious_incident=bool(data.get("serious_incident")),
            designations=frozenset(data.get("designations") or ()),
            languages=languages,
            licence_obtained_on=data.get("licence_obtained_on"),
            title_obtained_on=data.get("title_obtained_on"),
            employer_tags=frozenset(data.get("employer_tags") or ()),
            verified=frozenset(data.get("verified") or ()),
        )


# ---- Reads -----------------------------------------------------------------------------------------------------


def category_for_preview(*, user, pk: int) -> Category:
    """The category whose rules `user` may try: 403 for anyone but a commission administrator (or a superuser),
    404 for a category of a programme they do not manage."""
    if not (user.is_superuser or is_commission_admin(user)):
        raise PermissionDenied
    qs = Category.objects.select_related("programme", "programme__owner")
    if not user.is_superuser:
        qs = qs.filter(programme__in=programmes_manageable_by(user=user))
    category = qs.filter(pk=pk).first()
    if category is None or not (user.is_superuser or user.has_perm("catalog.change_programme", category.programme)):
        raise Http404("No such category.")
    return category


def people_for_preview(*, user) -> QuerySet[Person]:
    """The people a commission administrator may try rules on: those employed inside their jurisdiction."""
    qs = Person.objects.all() if user.is_superuser else people_visible_to(user=user)
    if not user.is_superuser:
        qs = qs.filter(jurisdiction_q(user=user, region_field="employer__region__code"))
    return qs


def person_for_preview(*, user, pk: int) -> Person:
    """A person of `people_for_preview` with what their facts read (404 otherwise)."""
    person = (
        people_for_preview(user=user)
        .select_related("education", "title", "employer")
        .prefetch_related(
            "designations",
            Prefetch("language_certificates", queryset=LanguageCertificate.objects.order_by("-taken_on", "id")),
            "title_records__title",
            "verifications",
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def default_as_of(category: Category) -> dt.date:
    """The reference date of the programme's latest round, else today."""
    latest = (
        Round.objects.filter(programme_id=category.programme_id)
        .filter(Q(reference_date__isnull=False) | Q(application_closes__isnull=False) | Q(starts_on__isnull=False))
        .order_by("-year", "-batch", "-id")
        .first()
    )
    return (latest.eligibility_date if latest else None) or timezone.localdate()


# ---- The page --------------------------------------------------------------------------------------------------


def _rows(outcomes: list[Outcome], depth: int = 0) -> list[dict]:
    """The outcomes flattened for the page, depth-first, each with its depth (a group's sub-rules under it)."""
    rows = []
    for outcome in outcomes:
        kind = RuleKind(outcome.kind).label if outcome.kind in RuleKind.values else outcome.kind
        rows.append({"outcome": outcome, "kind": kind, "depth": min(depth, MAX_DEPTH_SHOWN)})
        rows += _rows(list(getattr(outcome, "children", ()) or ()), depth + 1)
    return rows


class CategoryPreviewView(LoginRequiredMixin, View):
    template_name = "eligibility/category_preview.html"

    def _render(self, request: HttpRequest, category: Category, form: PreviewFactsForm, **extra) -> HttpResponse:
        query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:50]
        people: list[Person] = []
        if query:
            people = list(
                people_for_preview(user=request.user)
                .filter(name__icontains=query)
                .select_related("employer", "title")
                .order_by("name", "pk")[:PEOPLE_LISTED]
            )
        result: Result | None = extra.get("result")
        as_of = form["as_of"].value()
        as_of_text = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of or "")
        context = {
            **admin.site.each_context(request),
            "category": category,
            "programme": category.programme,
            "form": form,
            "query": query,
            "as_of_text": as_of_text,
            "people": people,
            "searched": bool(query),
            "result": result,
            "rows": _rows(result.rules) if result else [],
            "priority_rows": _rows(result.priority) if result else [],
            "person": extra.get("person"),
            "opts": Category._meta,
            # Translators: 中文：试用条件
            "title": _("Try the rules"),
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = category_for_preview(user=request.user, pk=pk)
        form = PreviewFactsForm(initial={"as_of": default_as_of(category)})
        return self._render(request, category, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = category_for_preview(user=request.user, pk=pk)
        person = None
        if request.POST.get("person"):
            try:
                person_pk = int(request.POST["person"])
            except ValueError:
                raise Http404("No such person.") from None
            person = person_for_preview(user=request.user, pk=person_pk)
            form = PreviewFactsForm({"as_of": request.POST.get("as_of") or default_as_of(category)})
        else:
            form = PreviewFactsForm(request.POST)
        if not form.is_valid():
            return self._render(request, category, form)
        facts = facts_for_person(person) if person is not None else form.facts()
        specs = rules_for(programme=category.programme_id, category=category)
        result = evaluate(specs, facts, form.cleaned_data["as_of"], code_ranks())
        return self._render(request, category, form, result=result, person=person)


category_preview = CategoryPreviewView.as_view()
