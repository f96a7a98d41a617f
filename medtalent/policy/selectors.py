"""Reads of the money, service and grading policy: the rule that applies to a category (and year).

The most specific row wins: the category's own for that year, the category's for every year, the programme's for
that year, the programme's for every year (service terms, clawback rules and grading scales have no year: the
category's, else the programme's). Each lookup is one query (two with the prefetched shares or levels).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from medtalent.catalog.models import Category, Programme
from medtalent.catalog.selectors import programmes_visible_to
from medtalent.policy.clawback import ClawbackSpec
from medtalent.policy.funding import CostShareRuleSpec
from medtalent.policy.models import ClawbackRule, CostShareRule, GradingScale, ServiceTerms


def _owner(category: Category | None, programme: Programme | None) -> tuple[int, int | None]:
    if category is not None:
        return category.programme_id, category.pk
    if programme is None:
        raise TypeError("give a category or a programme")
    return programme.pk, None


def _in_scope(category_id: int | None) -> Q:
    return Q(category__isnull=True) | Q(category_id=category_id) if category_id else Q(category__isnull=True)


def _most_specific(qs: QuerySet, category_id: int | None, year: int | None = None, *, with_year: bool = False):
    """The row of `qs` (one programme's) for the category (else the programme), and the year (else every year)."""
    qs = qs.filter(_in_scope(category_id))
    rank = [When(category__isnull=False, then=Value(0))]
    if with_year:
        qs = qs.filter(Q(year__isnull=True) | Q(year=year)) if year else qs.filter(year__isnull=True)
        rank = [
            When(category__isnull=False, year__isnull=False, then=Value(0)),
            When(category__isnull=False, then=Value(1)),
            When(year__isnull=False, then=Value(2)),
        ]
    return qs.annotate(rank=Case(*rank, default=Value(3), output_field=IntegerField())).order_by("rank").first()


def cost_share_rule_for(
    *, category: Category | None = None, year: int | None = None, programme: Programme | None = None
) -> CostShareRule | None:
    """The cost-share rule that applies to `category` (or, without one, to `programme` as a whole) in `year`,
    with its shares; None when the programme has none."""
    programme_id, category_id = _owner(category, programme)
    qs = CostShareRule.objects.filter(programme_id=programme_id).prefetch_related("shares")
    return _most_specific(qs, category_id, year, with_year=True)


def cost_share_spec_for(
    *, category: Category | None = None, year: int | None = None, programme: Programme | None = None
) -> CostShareRuleSpec | None:
    """`cost_share_rule_for` as the plain spec `funding.split` takes."""
    rule = cost_share_rule_for(category=category, year=year, programme=programme)
    return None if rule is None else CostShareRuleSpec.of(rule)


def service_terms_for(*, category: Category | None = None, programme: Programme | None = None) -> ServiceTerms | None:
    """The service period owed after return for `category` (else the programme's); None when there is none."""
    programme_id, category_id = _owner(category, programme)
    return _most_specific(ServiceTerms.objects.filter(programme_id=programme_id), category_id)


def clawback_rules_for(
    *, category: Category | None = None, programme: Programme | None = None, trigger: str | None = None
) -> list[ClawbackRule]:
    """The clawback rules for `category`: per trigger, the category's own rules when it has any for that
    trigger, else the programme's. Only `trigger`'s when given."""
    programme_id, category_id = _owner(category, programme)
    qs = ClawbackRule.objects.filter(Q(programme_id=programme_id) & _in_scope(category_id))
    if trigger:
        qs = qs.filter(trigger=trigger)
    rows = list(qs.order_by("trigger", "id"))
    own_triggers = {r.trigger for r in rows if r.category_id is not None}
    return [r for r in rows if r.category_id is not None or r.trigger not in own_triggers]


def clawback_specs_for(
    *, category: Category | None = None, programme: Programme | None = None, trigger: str | None = None
) -> list[ClawbackSpec]:
    """`clawback_rules_for` as the plain specs `clawback.refunds` takes."""
    return [ClawbackSpec.of(r) for r in clawback_rules_for(category=category, programme=programme, trigger=trigger)]


def grading_scale_for(*, category: Category | None = None, programme: Programme | None = None) -> GradingScale | None:
    """The grading scale of `category` (else the programme's), its `levels` prefetched from the best down; None
    when there is none. Each GradeLevel says whether it `passes`, earns a `certificate` and `triggers_clawback`."""
    programme_id, category_id = _owner(category, programme)
    qs = GradingScale.objects.filter(programme_id=programme_id).prefetch_related("levels")
    return _most_specific(qs, category_id)


def funding_owner_visible_to(*, user, code: str) -> tuple[Programme, Category | None]:
    """The programme (and category) a programme or category code names, among the programmes `user` may see;
    Http404 otherwise."""
    category = (
        Category.objects.filter(code=code, programme__in=programmes_visible_to(user=user))
        .select_related("programme")
        .first()
    )
    if category is not None:
        return category.programme, category
    programme = programmes_visible_to(user=user).filter(code=code).first()
    if programme is None:
        # Translators: 中文：没有代码为 %(code)s 的项目或人才类别。
        raise Http404(_("No programme or category has the code %(code)s.") % {"code": code})
    return programme, None
