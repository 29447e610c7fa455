"""Whatever the diagnostics or problems, the JSON a command prints fits its schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st
from output_helpers import schema_of

from workflowkit.cli.reporters import FileReport, json_report
from workflowkit.cli.review_verify import Verdict
from workflowkit.errors import Diagnostic, Severity

text = st.text(min_size=1, max_size=40)
diagnostics = st.builds(
    Diagnostic,
    code=st.from_regex(r"WK[1-9][0-9]{2}", fullmatch=True),
    message=text,
    file=st.none() | text,
    line=st.none() | st.integers(1, 10_000),
    col=st.none() | st.integers(1, 500),
    pointer=st.just("") | st.from_regex(r"(/[a-z0-9]{1,8}){1,3}", fullmatch=True),
    severity=st.sampled_from(list(Severity)),
    hint=st.none() | text,
)
files = st.lists(
    st.builds(FileReport, file=text, diagnostics=st.lists(diagnostics, max_size=4)),
    max_size=4,
)


def _valid(data: Any, name: str) -> None:
    jsonschema.Draft202012Validator(schema_of(name)).validate(data)


@given(files=files, strict=st.booleans())
def test_validate_json_fits_its_schema(files: list[FileReport], strict: bool) -> None:
    data = json.loads(json_report(files, strict))
    _valid(data, "workflowkit.validate")
    assert data["summary"]["files"] == len(files)
    if strict:
        assert all(d["severity"] != "warning" for f in data["files"] for d in f["diagnostics"])


kinds = st.sampled_from(["TAMPERED", "INVALID", "SUMMARY", "DAMAGED", "CHECKPOINT"])


@given(
    scope=st.sampled_from(["instance", "file", "store"]),
    problems=st.lists(st.tuples(kinds, text, st.none() | text), max_size=5),
)
def test_verify_json_fits_its_schema(
    scope: Any, problems: list[tuple[Any, str, str | None]]
) -> None:
    v = Verdict(scope, json=True)
    for kind, message, instance in problems:
        v.problem(kind, message, instance)
    from workflowkit.cli.outputs.base import build, dump
    from workflowkit.cli.outputs.review import ReviewVerifyOutput

    data = dump(build(ReviewVerifyOutput, v.to_data()))
    _valid(data, "workflowkit.review.verify")
    assert data["ok"] is (not problems)
    assert [p["kind"] for p in data["problems"]] == [k for k, _, _ in problems]
