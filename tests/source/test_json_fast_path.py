"""The JSON fast path of reading YAML (``source/json_fast.py``) says what the full path says.

A ``.yaml`` file written as JSON is read by ``json.loads``; its data must be exactly what
the full YAML path gives (same types, a float's text too), and every text the full path
refuses, or reads differently, must be left to it (``None``). Generated data dumped in
several ``json.dumps`` styles is compared both ways, each known disagreement between
JSON and the YAML parser is an example below, and ``validate`` prints the same bytes for
the example corpus written as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_yaml_events import CASES, ROOT, full_path_only, typed

from workflowkit.cli.main import main
from workflowkit.errors import DocumentError
from workflowkit.source import json_fast
from workflowkit.source.loader import DEFAULT_LIMITS, _control_character, load_text


def full(text: str | bytes, name: str = "doc.yaml") -> Any:
    """What the full path (no fast path at all) gives for ``text``."""
    with full_path_only():
        try:
            doc = load_text(text, name=name)
        except DocumentError as exc:
            return ("error", [d.format() for d in exc.diagnostics])
    return ("data", typed(doc.data))


def usual(text: str | bytes, name: str = "doc.yaml") -> Any:
    """What ``load_text`` gives with its fast paths on."""
    try:
        doc = load_text(text, name=name)
    except DocumentError as exc:
        return ("error", [d.format() for d in exc.diagnostics])
    return ("data", typed(doc.data))


def fast(text: str, limits: Any = DEFAULT_LIMITS) -> Any:
    got = json_fast.build_from_json(text, limits)
    return None if got is None else ("data", typed(got[0]))


def check(text: str) -> Any:
    """The JSON path takes ``text`` only as the full path reads it; ``usual`` agrees."""
    got = fast(text)
    want = full(text)
    if got is not None:
        assert got == want
    assert usual(text) == want
    return got


# -- what it takes ---------------------------------------------------------------------


CLIENTS = {
    "apiVersion": "workflowkit/v1",
    "kind": "ClientList",
    "name": "Clients",
    "clients": [
        {
            "id": f"client-{i:03}",
            "name": f"Client {i} Ltd",
            "company_type": "private_limited",
            "year_end": {"month": 3, "day": 31},
            "incorporated": "2003-04-01",
            "fee": 1250.5,
            "tags": ["vat", "payroll"],
        }
        for i in range(20)
    ],
}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(CLIENTS),
        json.dumps(CLIENTS, indent=2),
        json.dumps(CLIENTS, separators=(",", ":")),
        json.dumps(CLIENTS, indent="\t"),
        json.dumps(CLIENTS, indent=1).replace("\n", "\r\n") + "\r\n",
        "# yaml-language-server: $schema=https://workflowkit.dev/schemas/v1/ClientList.json\n"
        "\n  # another comment\r\n" + json.dumps(CLIENTS) + "\n\n",
        '{"a":1}',  # no space after the colon: YAML 1.2 allows it after a quoted key
        '{"a":-1,"b":[1,-2.5e-3],"c":{"d":true,"e":null}}',
        '{"a": "x\\/y \\b\\f\\n\\r\\t\\"\\\\ \\u00e9\\u00E9 \\u0000 \\u0085 \\u2028 \\ufeff"}',
        "{}",
        "[]",
        '{"a": {}, "b": [], "c": [{}]}',
        '{"<<": {"a": 1}, "b": "<<"}',  # a quoted `<<` is a plain key, as in the full path
        '{"a": "NaN", "b": "Infinity", "c": "no", "d": "1.5", "e": "2026-03-31"}',
        '  {\n"a": [\n1\n]\n}',  # the root indented, the rest not: flow ignores indentation
        '{"a": "' + "x" * 200_000 + '"}',  # a very long line
        '{"' + "k" * 170 + '": 1}',
        '{"a": [1e400, -0.0, -0, 0.5, 1E+2, 1e-7, 123456789012345678901234567890]}',
        '{"a": ' + "9" * 4300 + "}",
        '{"a": 1' + "0" * 5000 + ".5}",  # a long float is read as the YAML reader reads it
        '{"é😀": "é😀 \u00a0 \ufeff"}',
    ],
)
def test_json_documents_take_the_json_path(text: str) -> None:
    assert check(text) is not None


def test_a_json_document_is_located_on_demand() -> None:
    text = '{\n "apiVersion": "workflowkit/v1",\n "kind": "ClientList",\n "clients": [\n'
    text += '  {"id": "acme", "name": "Acme"}\n ]\n}\n'
    assert json_fast.build_from_json(text, DEFAULT_LIMITS) is not None
    doc = load_text(text, name="c.yaml")
    assert doc.format == "yaml" and doc.text == text
    assert doc._root is None and not doc._root_loaded
    assert doc.locate("/clients/0/name") == (5, 26)
    assert doc.locate("/clients/0/name", key=True) == (5, 18)


def test_a_bom_is_taken_off_before_the_json_path() -> None:
    text = json.dumps(CLIENTS)
    assert usual("\ufeff" + text) == usual(text.encode("utf-8-sig")) == full(text)
    assert fast("\ufeff" + text) is None  # a BOM the loader did not take off


# -- what it leaves to the other readers ----------------------------------------------------


LEFT = {
    # implicit keys: the `:` within 1024 characters of the key's start, on its line
    "key of 1023 characters": '{"' + "k" * 1023 + '": 1}',
    "key of 1022 characters (YAML takes it)": '{"' + "k" * 1022 + '": 1}',
    "key of 171 characters": '{"' + "k" * 171 + '": 1}',
    "key of escapes": '{"' + "\\u00e9" * 200 + '": 1}',
    "non-ASCII key of 1023 characters": '{"' + "é" * 1023 + '": 1}',
    "a line break before the colon": '{"a"\n: 1}',
    "spaces before the colon": '{"a"   : 1}',
    "a key and a long run of spaces": '{"a"' + " " * 1100 + ": 1}",
    # surrogate escapes: the YAML parser refuses them, even as a pair
    "lone surrogate escape": '{"a": "\\ud800"}',
    "lone low surrogate escape in a key": '{"\\udc00": 1}',
    "surrogate pair escape": '{"a": "\\ud83d\\ude00"}',
    # raw characters YAML reads as line breaks inside a string
    "raw NEL": '{"a": "x \x85 y"}',
    "raw U+2028": '{"a": "x\u2028 y"}',
    "raw U+2029": '{"a": "x \u2029y"}',
    # tabs before or after the root collection
    "tab before the root": '\t{"a": 1}',
    "tab on a line after the root": '{"a": 1}\n\t\n',
    "tab after the root on its line (YAML takes it; left all the same)": '{"a": 1}\t',
    "tab before a comment": '\t# c\n{"a": 1}',
    # numbers
    "NaN": '{"a": NaN}',
    "Infinity": '{"a": Infinity}',
    "-Infinity": "[-Infinity]",
    "integer of 4301 digits": '{"a": ' + "9" * 4301 + "}",
    "negative integer of 4300 digits (4301 characters)": '{"a": -' + "9" * 4300 + "}",
    # the document
    "duplicate key": '{"a": 1, "a": 2}',
    "nested duplicate key": '{"a": {"b": 1, "b": 1}}',
    "nesting past the limit (a value at depth 51)": "[" * 51 + "1" + "]" * 51,
    "nesting past the limit (an empty list at depth 51)": "[" * 52 + "]" * 52,
    "a second document": '{"a": 1}\n{"b": 2}',
    "a second document after ---": '{"a": 1}\n---\n{"b": 2}',
    "a trailing comment": '{"a": 1}\n# done\n',
    "a comment inside": '{"a": 1 # c\n}',
    "a document end marker": '{"a": 1}\n...\n',
    "a directive": '%YAML 1.2\n---\n{"a": 1}',
    "a document start marker": '--- {"a": 1}',
    "a BOM left in the text": '\ufeff{"a": 1}',
    "a comment ended by a lone CR then JSON": "# c\r[1]\n[2]",
    "trailing garbage": '{"a": 1} x',
    "YAML flow, not JSON": "{a: 1, b: [x, y]}",
    "trailing comma": '{"a": 1,}',
    "\\x escape (YAML only)": '{"a": "\\x41"}',
    "a raw tab in a string": '{"a": "x\ty"}',
    "a top-level string": '"x"',
    "a top-level number": "1",
    "a block mapping": "a: 1\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "deep beyond json's recursion": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("text", list(LEFT.values()), ids=list(LEFT))
def test_what_the_json_path_leaves_to_the_other_readers(text: str) -> None:
    assert fast(text) is None
    assert usual(text) == full(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"' + "k" * 1023 + '": 1}',
        '{"a"\n: 1}',
        '{"a": "\\ud800"}',
        '{"a": "\\ud83d\\ude00"}',
        '\t{"a": 1}',
        '{"a": 1}\n\t',
        '{"a": -' + "9" * 4300 + "}",
        '{"a": 1, "a": 2}',
        "[" * 51 + "1" + "]" * 51,
    ],
)
def test_json_accepts_what_the_full_path_refuses(text: str) -> None:
    json.loads(text)  # valid JSON...
    assert full(text)[0] == "error"  # ...that the YAML reader refuses, with its diagnostic
    assert fast(text) is None


@pytest.mark.parametrize(
    ("text", "yaml_reads"),
    [
        ('{"a": NaN}', {"a": "NaN"}),
        ('{"a": "x \x85 y"}', {"a": "x y"}),
        ('{"a": "x\u2028 y"}', {"a": "x\u2028y"}),
    ],
)
def test_json_reads_differently_from_the_full_path(text: str, yaml_reads: Any) -> None:
    assert full(text) == ("data", typed(yaml_reads)) != ("data", typed(json.loads(text)))
    assert fast(text) is None


def test_the_node_limit_counts_as_the_event_path_does() -> None:
    from workflowkit.source.yaml_events import build_from_events

    # 1 root + 49 values: 50 nodes (keys are not nodes)
    text = json.dumps({f"k{i}": i for i in range(49)})
    for nodes in (49, 50):
        limits = replace(DEFAULT_LIMITS, max_nodes=nodes)
        assert (json_fast.build_from_json(text, limits) is None) is (nodes < 50)
        assert (build_from_events(text, limits) is None) is (nodes < 50)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_the_depth_limit_counts_as_the_event_path_does(depth: int) -> None:
    from workflowkit.source.yaml_events import build_from_events

    limits = replace(DEFAULT_LIMITS, max_depth=2)
    for inner in ("1", "[]", "{}", '{"a": 1}'):
        text = "[" * depth + inner + "]" * depth
        assert (json_fast.build_from_json(text, limits) is None) is (
            build_from_events(text, limits) is None
        ), text


# -- generated documents ---------------------------------------------------------------


KEYS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["<<", "", "a: b", "#", " x ", '"', "\\", "true", "1", "~", "-"]),
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**4300) + 1, 10**4300 - 1),  # up to 4300 digits: json.dumps writes them
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["NaN", "no", "1.5", "2026-03-31", "<<", "", "\u2028", "\x85"]),
)
DATA = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
).map(lambda v: v if isinstance(v, dict | list) else [v])
STYLES = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 1, 2, "\t"]),
        "separators": st.sampled_from([(",", ":"), (", ", ": "), (",", ": "), (", ", ":")]),
        "ensure_ascii": st.booleans(),
    }
)


def _finite(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return not isinstance(value, int) or len(str(value)) <= 4300


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, STYLES, st.booleans())
def test_generated_json_reads_the_same_both_ways(
    value: Any, style: dict[str, Any], modeline: bool
) -> None:
    text = json.dumps(value, **style)
    if modeline:
        text = "# yaml-language-server: $schema=x.json\n\n" + text + "\n"
    want = full(text)
    assert usual(text) == want
    if _control_character(text, "doc.yaml") is not None:
        return  # refused (WK101) before any fast path is tried
    got = fast(text)
    if got is not None:
        assert got == want
    elif want[0] == "data" and style["ensure_ascii"] and _finite(value):
        # nothing doubtful in ASCII-only JSON but a surrogate pair's escapes
        assert "\\ud" in text.lower()
    if want[0] == "error":
        assert got is None


# -- validate prints the same bytes --------------------------------------------------------


def _validate(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", "--format", "text", str(path)])
    return code, out.getvalue(), err.getvalue()


def _as_json(source: Path, target: Path) -> bool:
    """``source`` (a YAML file or a folder) copied to ``target`` with every YAML file that
    reads written as JSON under its own name; whether any file was rewritten."""
    if source.is_dir():
        shutil.copytree(source, target)
        files = [p for p in sorted(target.rglob("*")) if p.suffix in (".yaml", ".yml")]
    else:
        shutil.copy(source, target)
        files = [target] if target.suffix in (".yaml", ".yml") else []
    rewritten = False
    for p in files:
        try:
            data = load_text(p.read_bytes(), name=p.name).data
        except DocumentError:
            continue
        p.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        rewritten = True
    return rewritten


def _reads_as_data(case: Path) -> bool:
    """Whether some YAML file of ``case`` reads as data (the others have nothing to
    rewrite as JSON: they are the cases of files that do not parse)."""
    files = sorted(case.rglob("*")) if case.is_dir() else [case]
    for p in files:
        if p.suffix in (".yaml", ".yml"):
            try:
                load_text(p.read_bytes(), name=p.name)
            except DocumentError:
                continue
            return True
    return False


@pytest.mark.parametrize(
    "case", [c for c in CASES if _reads_as_data(c)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_validate_prints_the_same_for_the_examples_as_json(case: Path, tmp_path: Path) -> None:
    target = tmp_path / case.name
    assert _as_json(case, target)
    fast_run = _validate(target)
    with full_path_only():
        full_run = _validate(target)
    assert fast_run == full_run


INVALID_CLIENTS = [
    # schema problems, located through the graph composed on demand
    json.dumps(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "ClientList",
            "clients": [
                {"id": "acme", "name": "Acme", "company_type": "private_limited"},
                {"id": "Bad Id", "company_type": "spaceship", "year_end": {"month": 13}},
                {"id": "acme", "name": 5, "incorporated": "2026-02-30"},
            ],
        },
        indent=2,
    ),
    # a duplicate key, a number too long, a surrogate escape, a long key: the full path says it
    '{\n  "apiVersion": "workflowkit/v1",\n  "kind": "ClientList",\n  "kind": "ClientList"\n}\n',
    '{\n  "apiVersion": "workflowkit/v1",\n  "kind": "ClientList",\n  "clients": [\n'
    '    {"id": "a", "name": "A", "fee": -' + "9" * 4300 + "}\n  ]\n}\n",
    '{"apiVersion": "workflowkit/v1", "kind": "ClientList", "name": "\\ud83d\\ude00"}',
    '{"apiVersion": "workflowkit/v1", "kind": "ClientList", "' + "x" * 1100 + '": 1}',
    '{"apiVersion": "workflowkit/v1", "kind": "ClientList", "clients": [\n',
]


@pytest.mark.parametrize("text", INVALID_CLIENTS)
def test_validate_prints_the_same_for_an_invalid_json_client_list(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text(text, encoding="utf-8")
    fast_run = _validate(path)
    with full_path_only():
        full_run = _validate(path)
    assert fast_run == full_run
    assert fast_run[0] != 0 and str(path) in fast_run[1] + fast_run[2]
