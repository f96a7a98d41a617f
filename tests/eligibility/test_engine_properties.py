"""Properties of the rule tree (hypothesis): groups obey three-valued (Kleene) logic over passed, pending and
failed, whatever the tree and the person: not of not, empty groups, all-of/any-of identities, order does not
matter, De Morgan with not; and a compiled policy agrees with a plain evaluation of the same tree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medtalent.eligibility.engine import compile_rules, evaluate
from medtalent.eligibility.facts import Facts, RuleSpec
from tests.eligibility.test_engine import AS_OF, RANKS

# Leaves whose state the facts decide: passed or failed (teaching, incident, designations) or pending unless
# the unit confirmed them (health, language). Each has its own id, so a confirmation follows it into any tree.
LEAVES = (
    RuleSpec(id="t:teaching", kind="teaching_experience", params={}),
    RuleSpec(id="t:incident", kind="no_serious_incident", params={}),
    RuleSpec(id="t:d01", kind="designation", params={"any_of": ["D01"]}),
    RuleSpec(id="t:d02", kind="designation", params={"any_of": ["D02", "D01"]}),
    RuleSpec(id="t:health", kind="health", params={}),
    RuleSpec(id="t:language", kind="language", params={}),
)
PENDING_IDS = ("t:health", "t:language")


def group(kind: str, *children: RuleSpec) -> RuleSpec:
    return RuleSpec(id=f"g:{kind}", kind=kind, params={}, children=tuple(children))


def not_(child: RuleSpec) -> RuleSpec:
    return group("not", child)


trees = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.one_of(
        st.builds(lambda cs: group("all_of", *cs), st.lists(inner, max_size=3)),
        st.builds(lambda cs: group("any_of", *cs), st.lists(inner, max_size=3)),
        st.builds(not_, inner),
    ),
    max_leaves=8,
)
people = st.builds(
    Facts,
    teaching_experience=st.booleans(),
    serious_incident=st.booleans(),
    designations=st.frozensets(st.sampled_from(["D01", "D02", "D03"])),
    confirmed=st.frozensets(st.sampled_from(PENDING_IDS)),
)


def status(spec: RuleSpec, facts: Facts) -> str:
    result = evaluate([spec], facts, AS_OF, RANKS)
    return result.rules[0].status


def kleene(spec: RuleSpec, facts: Facts) -> str:
    """The expected state, computed independently: passed > pending > failed for any_of, the reverse for all_of."""
    if spec.kind in ("all_of", "any_of", "not"):
        states = [kleene(child, facts) for child in spec.children]
        if spec.kind == "not":
            states = [{"passed": "failed", "failed": "passed"}.get(s, s) for s in states]
            return min(states, key=("failed", "pending", "passed").index, default="passed")
        order = ("failed", "pending", "passed")
        if spec.kind == "all_of":
            return min(states, key=order.index, default="passed")
        return max(states, key=order.index, default="failed")
    return status(spec, facts)


@given(trees, people)
def test_every_tree_follows_three_valued_logic(tree, facts):
    assert status(tree, facts) == kleene(tree, facts)


@given(trees, people)
def test_not_of_not_is_the_rule_itself(tree, facts):
    assert status(not_(not_(tree)), facts) == status(tree, facts)


@given(trees, people)
def test_a_group_of_one_is_its_rule(tree, facts):
    assert [status(group(kind, tree), facts) for kind in ("all_of", "any_of")] == [status(tree, facts)] * 2


@given(people)
def test_empty_groups(facts):
    assert [status(group(kind), facts) for kind in ("all_of", "any_of", "not")] == ["passed", "failed", "passed"]


@given(trees, people)
def test_empty_groups_are_the_identities(tree, facts):
    assert [
        status(group("all_of", tree, group("all_of")), facts),
        status(group("any_of", tree, group("any_of")), facts),
    ] == [status(tree, facts)] * 2


@given(trees, trees, people)
def test_the_order_of_the_rules_does_not_matter(a, b, facts):
    for kind in ("all_of", "any_of", "not"):
        assert status(group(kind, a, b), facts) == status(group(kind, b, a), facts)


@given(trees, trees, people)
def test_de_morgan(a, b, facts):
    assert status(not_(group("any_of", a, b)), facts) == status(group("all_of", not_(a), not_(b)), facts)
    assert status(not_(group("all_of", a, b)), facts) == status(group("any_of", not_(a), not_(b)), facts)


@given(trees, people)
def test_not_is_none_of(tree, facts):
    assert status(group("not", tree, tree), facts) == status(not_(group("any_of", tree, tree)), facts)


@settings(max_examples=50)
@given(st.lists(trees, min_size=1, max_size=3), st.lists(people, min_size=1, max_size=5))
def test_a_compiled_policy_agrees_with_evaluate(specs, persons):
    policy = compile_rules(specs, RANKS)
    for facts in persons:
        expected = evaluate(specs, facts, AS_OF, RANKS)
        got = policy.evaluate(facts, AS_OF)
        assert (got.status, [o.status for o in got.rules]) == (expected.status, [o.status for o in expected.rules])
