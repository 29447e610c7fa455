"""duplicate-contacts: normalisation, the four precision levels, QuickBooks types."""

from __future__ import annotations

import itertools

import pytest
from insights_ledgers import AS_OF, bill, contact, org, snapshot

from workflowkit.insights import CheckResult, match_reason, normalise, run_check
from workflowkit.insights.checks.contacts import common_words, matching_pairs
from workflowkit.insights.names import LEVELS, one_edit


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Fine Foods Ltd", "Fine Foods"),
        ("Fine Foods Ltd", "FINE FOODS LIMITED"),
        ("Fine Foods Ltd.", "fine   foods"),
        ("Smith & Jones LLP", "Smith and Jones"),
        ("Smith & Co Ltd", "Smith"),
        ("The Old Mill PLC", "Old Mill"),
        ("Sainsbury's", "Sainsburys"),
        ("A.B. Consulting Inc", "AB Consulting"),
        ("Café Rouge", "Cafe Rouge Limited"),
        ("Park-Estates LLP", "Park Estates"),
        ("Acme Public Limited Company", "ACME"),
        ("Mc Donald Ltd", "McDonald"),
    ],
)
def test_names_that_normalise_to_the_same(a: str, b: str) -> None:
    assert normalise(a).compact == normalise(b).compact
    assert match_reason(normalise(a), normalise(b), "strict") == "the same name once normalised"


def test_a_legal_suffix_alone_is_kept() -> None:
    assert normalise("Limited").compact == "limited"
    assert normalise("The Company").compact == "company"
    assert normalise("  ").compact == ""


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        # Dext's own examples, at the level where they first pair up here
        ("Sainsbury", "Sainsburys", "close"),
        ("Fine Food Ltd", "Fine Foods Limited", "close"),
        ("Twins 6", "Twins 5", "similar"),
        ("Smart Agency", "City Agency", "rough"),
        # more
        ("Jones & Smith", "Smith and Jones", "close"),
        ("Hargreaves", "Hargraeves", "close"),  # neighbours swapped
        ("Hargreaves", "Hargreives", "close"),  # one letter changed
        ("Unit 4 Motors", "Unit 12 Motors", "similar"),
        ("Acme", "Acme Trading", "similar"),
        ("Bolt", "Bolts", "similar"),  # one letter, but under 5 characters
    ],
)
def test_each_level_and_the_looser_ones_pair_these(a: str, b: str, level: str) -> None:
    ka, kb = normalise(a), normalise(b)
    first = [str(x) for x in LEVELS].index(level)
    for i, precision in enumerate(LEVELS):
        reason = match_reason(ka, kb, precision)
        if i < first:
            assert reason is None, (a, b, precision, reason)
        else:
            assert reason is not None, (a, b, precision)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Smith", "Jones"),
        ("Acme 1", "Acme 2"),  # digits are not a typing slip at close precision...
        ("Abc", "Abd"),  # ...and short names need more than one letter in common
        ("North Trading", "South Trading"),
    ],
)
def test_not_close(a: str, b: str) -> None:
    assert match_reason(normalise(a), normalise(b), "close") is None


def test_rough_ignores_stop_words_and_words_too_common() -> None:
    keys = [normalise(n) for n in ("The Agency", "City Agency", "Bank of Smith", "Bank of Jones")]
    assert matching_pairs(keys, "rough", max_word_contacts=25) == {
        (0, 1): "one name has an extra word",  # "agency" vs "city agency"
        (2, 3): "both use the word 'bank'",
    }
    many = [normalise(f"{w} Agency") for w in ("City", "Smart", "Blue", "Red")]
    assert common_words(many, 3) == {"agency"}
    assert matching_pairs(many, "rough", max_word_contacts=3) == {}
    assert len(matching_pairs(many, "rough", max_word_contacts=4)) == 6


def test_one_edit() -> None:
    assert one_edit("abcde", "abcdef", letters_only=True, min_len=5)
    assert one_edit("abcde", "abxde", letters_only=True, min_len=5)
    assert one_edit("abcde", "abdce", letters_only=True, min_len=5)
    assert not one_edit("abcde", "abcde", letters_only=True, min_len=5)
    assert not one_edit("abcd1", "abcd2", letters_only=True, min_len=5)
    assert one_edit("abcd1", "abcd2", letters_only=False, min_len=5)
    assert not one_edit("abcde", "abxdy", letters_only=False, min_len=3)
    assert not one_edit("abc", "abcdx", letters_only=False, min_len=3)


def run(contacts: tuple[object, ...], **params: object) -> CheckResult:
    return run_check(
        "duplicate-contacts",
        snapshot(contacts=contacts, **params.pop("kw", {})),  # type: ignore[arg-type]
        params,
        as_of=AS_OF,
    )


def test_contacts_differing_only_by_ltd_are_one_finding_with_transaction_counts() -> None:
    contacts = (
        contact("c1", "Fine Foods Ltd"),
        contact("c2", "Fine Foods"),
        contact("c3", "Fine Foods Limited"),
        contact("c4", "Other Co"),
    )
    invoices = (
        bill("b1", "c1", "2024-06-01", "10.00"),
        bill("b2", "c1", "2024-06-02", "11.00"),
        bill("b3", "c3", "2024-06-03", "12.00"),
    )
    res = run(contacts, precision="strict", kw={"invoices": invoices})
    (f,) = res.findings
    assert f.code == "duplicate-contact" and f.severity == "warning"
    assert [r.id for r in f.records] == ["c1", "c2", "c3"]
    assert [r.label for r in f.records] == [
        "Fine Foods Ltd (2 transactions)",
        "Fine Foods (0 transactions)",
        "Fine Foods Limited (1 transaction)",
    ]
    assert res.summary == "1 possible duplicate among 4 contacts (strict precision)"


def test_default_precision_is_close() -> None:
    res = run(
        (
            contact("c1", "Sainsbury"),
            contact("c2", "Sainsburys"),
            contact("c3", "Twins 5"),
            contact("c4", "Twins 6"),
        )
    )
    (f,) = res.findings
    assert "one letter differs" in f.message and "close precision" in res.summary
    looser = run(
        (
            contact("c1", "Sainsbury"),
            contact("c2", "Sainsburys"),
            contact("c3", "Twins 5"),
            contact("c4", "Twins 6"),
        ),
        precision="similar",
    )
    assert len(looser.findings) == 2


def test_quickbooks_pairs_only_contacts_of_the_same_type() -> None:
    contacts = (
        contact("c1", "Northwind", "customer"),
        contact("c2", "Northwind Ltd", "supplier"),
        contact("c3", "Northwind Limited", "supplier"),
    )
    qbo = run(contacts, kw={"organisation": org(source="qbo")})
    (f,) = qbo.findings
    assert [r.id for r in f.records] == ["c2", "c3"] and "(supplier)" in f.message
    assert "same type only" in qbo.summary
    xero = run(contacts)
    assert [r.id for r in xero.findings[0].records] == ["c1", "c2", "c3"]
    forced = run(contacts, same_type_only=True)
    assert len(forced.findings[0].records) == 2


def test_archived_contacts_are_left_out_unless_asked() -> None:
    contacts = (contact("c1", "Fine Foods"), contact("c2", "Fine Foods Ltd", status="archived"))
    assert run(contacts).outcome == "pass"
    assert run(contacts, include_archived=True).outcome == "issues"


def test_blocking_finds_what_every_pair_would() -> None:
    names = [
        "Fine Foods Ltd",
        "Fine Food",
        "Sainsbury's",
        "Sainsbury",
        "Twins 5",
        "Twins 6",
        "Smart Agency",
        "City Agency",
        "Jones & Smith",
        "Smith and Jones",
        "Acme",
        "Acme Trading",
        "Unit 4 Motors",
        "Unit 12 Motors",
        "Smyth",
        "Smith",
        "Bolt",
        "Bolts",
        "Abc",
        "Abd",
        "Hargreaves",
        "Hargraeves",
        "The Agency",
        "Bank of Smith",
    ]
    keys = [normalise(n) for n in names]
    for precision in LEVELS:
        common = common_words(keys, 25) if precision == "rough" else frozenset()
        naive = {
            (i, j): r
            for i, j in itertools.combinations(range(len(keys)), 2)
            if (r := match_reason(keys[i], keys[j], precision, common)) is not None
        }
        assert matching_pairs(keys, precision) == naive, precision
