"""Semantic versions and the ranges a workflow pins a template with."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.templates.versions import SemVer, best_version, is_range, parse_range

VERSIONS = [
    "0.9.0",
    "0.9.4",
    "1.0.0",
    "1.2.0",
    "1.2.5",
    "1.3.0-beta.1",
    "1.3.0",
    "1.10.0",
    "2.0.0-rc.1",
    "2.0.0",
    "2.1.0",
]


def matching(spec: str) -> list[str]:
    pred = parse_range(spec)
    return [v for v in VERSIONS if pred(SemVer.parse(v))]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("1.2.5", ["1.2.5"]),
        ("=1.2.5", ["1.2.5"]),
        ("1.2", ["1.2.0", "1.2.5"]),
        ("1", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        ("1.x", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        ("1.*", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        ("1.2.x", ["1.2.0", "1.2.5"]),
        ("^1.2", ["1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        ("^1.2.3", ["1.2.5", "1.3.0", "1.10.0"]),
        ("^0.9", ["0.9.0", "0.9.4"]),
        ("^0.9.1", ["0.9.4"]),
        ("~1.2", ["1.2.0", "1.2.5"]),
        ("~1.2.1", ["1.2.5"]),
        ("~1", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        (">=1.0.0, <2.0.0", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        (">=1.0.0 <2.0.0", ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0"]),
        (">= 1.2.0, < 1.10.0", ["1.2.0", "1.2.5", "1.3.0"]),
        (">1.2", ["1.3.0", "1.10.0", "2.0.0", "2.1.0"]),
        (">1.2.0", ["1.2.5", "1.3.0", "1.10.0", "2.0.0", "2.1.0"]),
        ("<=1.2", ["0.9.0", "0.9.4", "1.0.0", "1.2.0", "1.2.5"]),
        ("<1.2", ["0.9.0", "0.9.4", "1.0.0"]),
        ("<=1.2.0", ["0.9.0", "0.9.4", "1.0.0", "1.2.0"]),
        ("*", ["0.9.0", "0.9.4", "1.0.0", "1.2.0", "1.2.5", "1.3.0", "1.10.0", "2.0.0", "2.1.0"]),
        # A pre-release is in a range only when the range names one of that version.
        ("^1.3.0-beta.0", ["1.3.0-beta.1", "1.3.0", "1.10.0"]),
        ("1.3.0-beta.1", ["1.3.0-beta.1"]),
        (">=2.0.0-rc.0", ["2.0.0-rc.1", "2.0.0", "2.1.0"]),
        (">=1.3.0-alpha <2.0.0", ["1.3.0-beta.1", "1.3.0", "1.10.0"]),
    ],
)
def test_ranges(spec: str, expected: list[str]) -> None:
    assert matching(spec) == expected


@pytest.mark.parametrize(
    ("spec", "best"),
    [
        (None, "2.1.0"),
        ("^1.2", "1.10.0"),
        ("~1.2", "1.2.5"),
        ("1.x", "1.10.0"),
        (">=1.0.0, <2.0.0", "1.10.0"),
        ("1.2.0", "1.2.0"),
        ("^3", None),
        ("2.0.0-rc.1", "2.0.0-rc.1"),
    ],
)
def test_best_version(spec: str | None, best: str | None) -> None:
    assert best_version(VERSIONS, spec) == best


def test_best_version_without_a_range_prefers_releases() -> None:
    assert best_version(["1.0.0", "1.1.0-beta.1"], None) == "1.0.0"
    assert best_version(["1.1.0-beta.1", "1.1.0-beta.2"], None) == "1.1.0-beta.2"
    assert best_version(["not-a-version", "1.0.0"], None) == "1.0.0"
    assert best_version([], None) is None


@pytest.mark.parametrize(
    "spec", ["", "  ", "abc", "1.2.3.4", ">", ">=x.y", "^", "1.0.0 - 2.0.0", "v1.0.0", "~>1.2"]
)
def test_malformed_ranges(spec: str) -> None:
    assert not is_range(spec)
    with pytest.raises(ValueError):
        parse_range(spec)


@pytest.mark.parametrize("spec", ["1.2.3", "^1.2", "~1", "1.x", "*", ">=1, <2", ">= 1.0.0"])
def test_well_formed_ranges(spec: str) -> None:
    assert is_range(spec)


def test_semver_order() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.2.0",
        "1.10.0",
        "2.0.0",
    ]  # the order semver.org gives, plus numeric (not text) minor versions
    parsed = [SemVer.parse(v) for v in ordered]
    assert sorted(parsed) == parsed
    assert SemVer.parse("1.0.0+build.1") == SemVer.parse("1.0.0+build.2")
    assert str(SemVer.parse("1.2.3-rc.1+b")) == "1.2.3-rc.1"
    with pytest.raises(ValueError, match="not a semantic version"):
        SemVer.parse("1.2")


versions = st.builds(
    lambda a, b, c, pre: f"{a}.{b}.{c}" + (f"-{pre}" if pre else ""),
    st.integers(0, 5),
    st.integers(0, 5),
    st.integers(0, 5),
    st.sampled_from(["", "alpha", "beta.1", "rc.2"]),
)


@given(v=versions, w=versions)
def test_caret_and_tilde_agree_with_explicit_bounds(v: str, w: str) -> None:
    x = SemVer.parse(w)
    if x.pre:
        return  # pre-releases follow their own rule, tested above
    base = SemVer.parse(v)
    if base.pre:
        return
    ma, mi, pa = base.major, base.minor, base.patch
    if ma > 0:
        upper = f"{ma + 1}.0.0"
    elif mi > 0:
        upper = f"0.{mi + 1}.0"
    else:
        upper = f"0.0.{pa + 1}"
    assert parse_range(f"^{v}")(x) == parse_range(f">={v}, <{upper}")(x)
    assert parse_range(f"~{v}")(x) == parse_range(f">={v} <{ma}.{mi + 1}.0")(x)


@given(vs=st.lists(versions, min_size=1, max_size=8), spec=st.sampled_from(["^1", "~0.2", "*"]))
def test_best_version_is_the_highest_match(vs: list[str], spec: str) -> None:
    best = best_version(vs, spec)
    pred = parse_range(spec)
    inside = [SemVer.parse(v) for v in vs if pred(SemVer.parse(v))]
    if best is None:
        assert inside == []
    else:
        assert SemVer.parse(best) == max(inside)
