"""The fast path of reading YAML (``source/yaml_events.py``) says what the full path says.

Every YAML file of the example corpus (``tests/examples``, ``examples/``) is read both
ways, with the fast path and with it turned off: the same data (same types, a float's
text too) or the same diagnostics, and ``validate`` prints the same bytes. Generated
documents (scalars YAML 1.1 and 1.2 read differently, dates, ``<<``, keys that look like
numbers, flow and block style) are compared the same way.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflowkit.cli.main import main
from workflowkit.errors import DocumentError
from workflowkit.source import json_fast, yaml_events
from workflowkit.source.loader import DEFAULT_LIMITS, SourceFloat, load_text
from workflowkit.source.workspace import read_workspace

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    p
    for folder in (ROOT / "tests" / "examples", ROOT / "examples")
    for p in folder.rglob("*")
    if p.suffix in (".yaml", ".yml") and p.is_file()
)
CASES = [
    *sorted(
        p
        for folder in (
            ROOT / "tests" / "examples" / "valid",
            ROOT / "tests" / "examples" / "invalid",
        )
        for p in folder.iterdir()
        if not p.name.startswith((".", "_"))
        and (p.is_dir() or p.suffix in (".yaml", ".yml", ".json"))
        and not p.name.endswith(".expected.json")
    ),
    ROOT / "examples" / "practice",
]


@contextlib.contextmanager
def full_path_only() -> Iterator[None]:
    """Turn the fast paths off (the events one and the JSON one): every YAML file is
    composed and built the full way."""
    saved = yaml_events.build_from_events, json_fast.build_from_json
    yaml_events.build_from_events = lambda text, limits: None
    json_fast.build_from_json = lambda text, limits: None
    try:
        yield
    finally:
        yaml_events.build_from_events, json_fast.build_from_json = saved


def typed(value: Any) -> Any:
    """``value`` with every type spelled out (``1`` and ``1.0`` and ``True`` differ, and a
    float keeps the text it was read as)."""
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, SourceFloat):
        return ("SourceFloat", value.text, repr(float(value)))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def outcome(text: str | bytes, name: str) -> Any:
    try:
        doc = load_text(text, name=name, limits=DEFAULT_LIMITS)
    except DocumentError as exc:
        return ("error", [d.format() for d in exc.diagnostics])
    return ("data", typed(doc.data))


def both(text: str | bytes, name: str = "doc.yaml") -> tuple[Any, Any]:
    fast = outcome(text, name)
    with full_path_only():
        full = outcome(text, name)
    return fast, full


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_corpus_file_reads_the_same_both_ways(path: Path) -> None:
    fast, full = both(path.read_bytes(), path.name)
    assert fast == full


def _validate(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", "--format", "text", str(path)])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(ROOT)))
def test_validate_prints_the_same_both_ways(case: Path) -> None:
    fast = _validate(case)
    with full_path_only():
        full = _validate(case)
    assert fast == full


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(ROOT)))
def test_workspace_diagnostics_are_the_same_both_ways(case: Path) -> None:
    def seen() -> list[tuple[Any, ...]]:
        ws = read_workspace([case], jobs=1)
        return [
            (d.file, d.line, d.col, d.code, d.severity, d.message, d.pointer, d.hint)
            for d in ws.diagnostics()
        ]

    fast = seen()
    with full_path_only():
        full = seen()
    assert fast == full


def test_a_plain_document_takes_the_fast_path_and_is_located_on_demand() -> None:
    text = "apiVersion: workflowkit/v1\nkind: ClientList\nclients:\n  - id: acme\n    name: Acme\n"
    assert yaml_events.build_from_events(text, DEFAULT_LIMITS) is not None
    doc = load_text(text, name="c.yaml")
    assert doc._root is None and not doc._root_loaded  # no node graph kept
    assert doc.locate("/clients/0/name") == (5, 11)
    assert doc.locate("/clients/0/name", key=True) == (5, 5)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # an explicit tag
        "a: !custom x\n",
        "<<: {a: 1}\n",  # a merge key
        "a: 1\na: 2\n",  # a duplicate key
        "[a]: 1\n",  # a collection as a key
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # empty
        "# only a comment\n",
        "a: [1, 2\n",  # a parse error
        "a: " + "9" * 4301 + "\n",  # a number too long to read
        "[" * 60 + "]" * 60,  # nesting past the limit
    ],
)
def test_what_the_fast_path_leaves_to_the_full_reader(text: str) -> None:
    assert yaml_events.build_from_events(text, DEFAULT_LIMITS) is None
    fast, full = both(text)
    assert fast == full


def test_node_limit_is_left_to_the_full_reader() -> None:
    from dataclasses import replace

    text = "[" + ", ".join(["1"] * 60) + "]"
    limits = replace(DEFAULT_LIMITS, max_nodes=50)
    assert yaml_events.build_from_events(text, limits) is None
    assert yaml_events.build_from_events(text, DEFAULT_LIMITS) is not None


SCALARS = st.one_of(
    st.sampled_from(
        [
            "no",
            "NO",
            "yes",
            "on",
            "off",
            "y",
            "n",
            "true",
            "True",
            "FALSE",
            "null",
            "~",
            "Null",
            "0o17",
            "0x1F",
            "017",
            "-12",
            "+7",
            "1_000",
            "1.5",
            "1e3",
            "1E3",
            "-.inf",
            ".NaN",
            ".5",
            "1.",
            "2026-03-31",
            "2026-03-31T09:00:00Z",
            "<<",
            "=",
            "!",
            "12:30",
            "0b101",
            "1,000",
            "'quoted'",
            '"dq"',
            "''",
            '""',
            "a b",
            "- x",
        ]
    ),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        max_size=12,
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


def _key_text(s: str) -> str:
    return s if s and s.isidentifier() else '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(SCALARS, st.sampled_from(["a", "b", "1", "true"])), children, max_size=4
        ),
    ),
    max_leaves=12,
)


def flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key_text(k)}: {flow(v)}" for k, v in value.items()) + "}"
    return str(value)


def block(value: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict) and value:
        return "".join(
            f"{pad}{k}:\n{block(v, indent + 2)}"
            if isinstance(v, dict | list) and v
            else f"{pad}{k}: {flow(v)}\n"
            for k, v in value.items()
        )
    if isinstance(value, list) and value:
        return "".join(f"{pad}-\n{block(v, indent + 2)}" for v in value)
    return f"{pad}{flow(value)}\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans())
def test_generated_documents_read_the_same_both_ways(value: Any, as_block: bool) -> None:
    text = block(value) if as_block else flow(value) + "\n"
    fast, full = both(text)
    assert fast == full
