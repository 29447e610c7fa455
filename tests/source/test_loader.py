"""The loader: YAML 1.2 scalars, positions, limits, and bad bytes, each with its own code."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from workflowkit.errors import DocumentError
from workflowkit.source.loader import (
    DEFAULT_LIMITS,
    LoadedDocument,
    load_text,
    pointer_of,
    read_path,
    split_pointer,
)


def load(text: str | bytes, name: str = "doc.yaml") -> LoadedDocument:
    return load_text(text, name=name)


def problem(text: str | bytes, name: str = "doc.yaml", **limits: int) -> tuple[str, int, int]:
    """(code, line, col) of the one diagnostic ``text`` must raise."""
    with pytest.raises(DocumentError) as info:
        load_text(text, name=name, limits=replace(DEFAULT_LIMITS, **limits))
    (d,) = info.value.diagnostics
    assert d.file == name
    assert d.line is not None and d.col is not None
    return d.code, d.line, d.col


# ---------------------------------------------------------------------------------
# YAML 1.2 scalars
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["NO", "no", "No", "yes", "Yes", "on", "off", "ON", "y", "n"])
def test_yaml_1_1_booleans_stay_strings(word: str) -> None:
    assert load(f"a: {word}\n").data == {"a": word}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("0o17", 15),
        ("0x1F", 31),
        ("0x1f", 31),
        ("-12", -12),
        ("+7", 7),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-.inf", float("-inf")),
    ],
)
def test_yaml_1_2_core_schema(text: str, value: object) -> None:
    got = load(f"a: {text}\n").data["a"]
    assert got == value
    # A float keeps the text it was read as (a float subclass; money is built from it).
    assert type(got) is type(value) or (type(value) is float and isinstance(got, float))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("017", 17),  # decimal in YAML 1.2, not octal as in 1.1
        ("0b101", 5),  # ruamel's reading of 1.2 also takes binary and underscores
        ("1_000", 1000),
        ("0o", "0o"),
        ("0x", "0x"),
        ("12e", "12e"),
        ("1:20", "1:20"),  # sexagesimal in 1.1
        ("=", "="),  # the 1.1 "value" type
        ("<<", "<<"),  # only a `<<` key is a merge
    ],
)
def test_yaml_1_1_types_that_1_2_reads_differently(text: str, value: object) -> None:
    assert load(f"a: {text}\n").data == {"a": value}


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-31",
        "2024-03-31T09:00:00Z",
        "2024-03-31 09:00:00+01:00",
        "2001-12-14t21:59:43.10-05:00",
    ],
)
def test_timestamps_stay_strings(text: str) -> None:
    assert load(f"a: {text}\n").data == {"a": text}


def test_a_yaml_1_1_directive_does_not_bring_back_1_1_booleans() -> None:
    assert load("%YAML 1.1\n---\na: NO\n").data == {"a": "NO"}


def test_quoted_and_block_scalars() -> None:
    doc = load(
        textwrap.dedent(
            """\
            plain: It's fine
            single: 'it''s'
            double: "tab\\there \\u00e9"
            literal: |
              line one
              line two
            folded: >-
              one
              two
            """
        )
    )
    assert doc.data == {
        "plain": "It's fine",
        "single": "it's",
        "double": "tab\there é",
        "literal": "line one\nline two\n",
        "folded": "one two",
    }


def test_aliases_share_the_value_and_equal_the_written_out_document() -> None:
    aliased = load("a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n").data
    written = load("a: {b: [1, 2]}\nc: {b: [1, 2]}\nd: [{b: [1, 2]}, {b: [1, 2]}]\n").data
    assert aliased == written


def test_byte_order_mark_and_crlf() -> None:
    doc = load(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n")
    assert doc.data == {"a": 1, "b": ["x"]}
    assert doc.locate("/b/0") == (3, 5)


def test_json_reads_the_same_data_as_yaml() -> None:
    text = '{"a": [1, 2.5, "NO", null, true], "b": {"c": "2024-01-01"}}'
    assert load(text, "doc.json").data == load(text, "doc.yaml").data


# ---------------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------------

NESTED = textwrap.dedent(
    """\
    apiVersion: workflowkit/v1
    checks:
      - id: first
        title: First
      - section: Payroll
        checks:
          - id: "a/b~c"
            params: {days: 30, list: [x, y]}
    """
)


@pytest.mark.parametrize(
    ("pointer", "key", "where"),
    [
        ("", False, (1, 1)),
        ("/apiVersion", False, (1, 13)),
        ("/apiVersion", True, (1, 1)),
        ("/checks", False, (3, 3)),
        ("/checks", True, (2, 1)),
        ("/checks/0", False, (3, 5)),
        ("/checks/0/title", False, (4, 12)),
        ("/checks/0/title", True, (4, 5)),
        ("/checks/1/checks/0/id", False, (7, 13)),
        ("/checks/1/checks/0/params/days", False, (8, 24)),
        ("/checks/1/checks/0/params/days", True, (8, 18)),
        ("/checks/1/checks/0/params/list/1", False, (8, 38)),
        # Missing pieces: the deepest part that exists.
        ("/checks/0/guidance", False, (3, 5)),
        ("/checks/0/guidance", True, (3, 5)),
        ("/checks/7/title", False, (3, 3)),
        ("/nothing/here", False, (1, 1)),
        ("/apiVersion/0", False, (1, 13)),
    ],
)
def test_locate(pointer: str, key: bool, where: tuple[int, int]) -> None:
    assert load(NESTED).locate(pointer, key=key) == where


def test_locate_through_escaped_pointer_parts() -> None:
    doc = load('a/b: {"c~d": 1}\n')
    pointer = pointer_of(["a/b", "c~d"])
    assert pointer == "/a~1b/c~0d"
    assert split_pointer(pointer) == ["a/b", "c~d"]
    assert doc.locate(pointer) == (1, 14)


def test_locate_in_json() -> None:
    text = '{\n  "checks": [\n    {"id": "a", "title": "\\ud83d\\ude00 \\u00e9", "x": 1}\n  ]\n}\n'
    doc = load(text, "doc.json")
    assert doc.data["checks"][0]["title"] == "😀 é"
    assert doc.locate("/checks/0/x") == (3, 54)
    assert doc.locate("/checks/0/x", key=True) == (3, 49)


def test_diagnostic_is_located_lazily() -> None:
    doc = load(NESTED)
    d = doc.diagnostic("WK113", "unknown key", "/checks/0/title", key=True, hint="h")
    assert (d.file, d.line, d.col, d.pointer, d.hint) == ("doc.yaml", 4, 5, "/checks/0/title", "h")


# ---------------------------------------------------------------------------------
# Problems, each with its own code and place
# ---------------------------------------------------------------------------------


def test_duplicate_keys() -> None:
    assert problem("a: 1\nb:\n  c: 1\n  c: 2\n") == ("WK103", 4, 3)
    text = '{"a": {"id": "x"},\n "b": [{"id": 1}, {"id": 2,\n   "id": 3}]}'
    assert problem(text, "doc.json") == ("WK103", 3, 4)


def test_duplicate_key_in_json_the_yaml_reader_cannot_place_falls_back_to_the_text() -> None:
    long_key = "k" * 1100  # YAML caps implicit keys at 1024 characters
    text = json.dumps({"x": 1})[:-1] + f', "{long_key}": 1, "{long_key}": 2}}'
    code, line, col = problem(text, "doc.json")
    assert code == "WK103"
    assert (line, col) == (1, text.rindex(f'"{long_key}"') + 1)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: !!python/object/apply:os.system ['echo hacked']\n", (1, 4)),
        ("a: !!python/name:os.system\n", (1, 4)),
        ("a: !foo bar\n", (1, 4)),
        ("a: !<tag:example.com,2024:x> 1\n", (1, 4)),
        ("a: !e!x 1\n", (1, 4)),
        ("a: [1, !!binary aGk=]\n", (1, 8)),
        ("a: !!omap [b: 1]\n", (1, 4)),
    ],
)
def test_tags_are_refused(text: str, where: tuple[int, int]) -> None:
    assert problem(text) == ("WK104", *where)


def test_standard_tags_are_read() -> None:
    assert load("a: !!str 12\nb: !!int '12'\nc: !!float '1'\nd: !!null ''\n").data == {
        "a": "12",
        "b": 12,
        "c": 1.0,
        "d": None,
    }
    assert problem("a: !!int twelve\n") == ("WK114", 1, 4)


def test_structure() -> None:
    assert problem("a: 1\n---\nb: 2\n") == ("WK106", 2, 1)
    assert problem("a: 1\n...\n---\nb: 2\n")[0] == "WK106"
    assert problem("? [a]\n: 1\n") == ("WK117", 1, 3)
    assert problem("a: &x {b: 1}\nc:\n  <<: *x\n") == ("WK118", 3, 3)


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n", "--- \n...\n"])
def test_empty_documents(text: str) -> None:
    assert problem(text) == ("WK107", 1, 1)


@pytest.mark.parametrize("text", ["", "  \n"])
def test_empty_json(text: str) -> None:
    assert problem(text, "doc.json") == ("WK107", 1, 1)


def test_syntax_errors() -> None:
    assert problem("a: [1, 2\n") == ("WK101", 2, 1)
    assert problem('a: "open\n') == ("WK101", 2, 1)
    assert problem("a: *nowhere\n") == ("WK101", 1, 4)
    assert problem('{"a": 1,}', "doc.json") == ("WK102", 1, 9)
    assert problem('{"a": NaN', "doc.json")[0] == "WK102"


def test_json_lone_surrogate_escape() -> None:
    assert problem('{"a": "ok",\n "b": "x\\ud800y"}', "doc.json") == ("WK102", 2, 9)
    assert load('{"b": "\\ud83d\\ude00"}', "doc.json").data == {"b": "😀"}


def test_bytes_that_are_not_utf8_are_placed() -> None:
    assert problem(b"a: 1\nb: caf\xe9\n") == ("WK100", 2, 7)
    assert problem(b"\xff") == ("WK100", 1, 1)
    assert problem("é\n".encode("utf-16")) == ("WK100", 1, 1)


def test_read_path_problems(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as info:
        read_path(tmp_path / "missing.yaml")
    assert info.value.diagnostics[0].code == "WK100"
    with pytest.raises(DocumentError) as info:
        read_path(tmp_path)
    assert info.value.diagnostics[0].code == "WK100"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * DEFAULT_LIMITS.max_bytes + b"\n")
    with pytest.raises(DocumentError) as info:
        read_path(big)
    assert info.value.diagnostics[0].code == "WK108"


# ---------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------


def test_size_limit_counts_bytes_not_characters() -> None:
    text = "a: " + "é" * 200 + "\n"  # 404 bytes, 204 characters
    assert problem(text, max_bytes=300) == ("WK108", 1, 1)
    assert load_text(text, limits=replace(DEFAULT_LIMITS, max_bytes=500)).data


def test_default_size_limit() -> None:
    text = "a: " + "x" * DEFAULT_LIMITS.max_bytes
    assert problem(text) == ("WK108", 1, 1)


def test_depth_limit_yaml_and_json_agree() -> None:
    limit = DEFAULT_LIMITS.max_depth
    ok_yaml = "a: " + "[" * (limit - 1) + "]" * (limit - 1) + "\n"
    assert load(ok_yaml).data
    assert problem("a: " + "[" * limit + "1" + "]" * limit + "\n")[0] == "WK109"
    ok_json = '{"a": ' + "[" * (limit - 1) + "]" * (limit - 1) + "}"
    assert load(ok_json, "doc.json").data == load(ok_yaml).data
    bad_json = '{"a": ' + "[" * limit + "1" + "]" * limit + "}"
    assert problem(bad_json, "doc.json") == ("WK109", 1, 7 + limit)


def test_an_alias_counts_the_depth_it_lands_at() -> None:
    limit = DEFAULT_LIMITS.max_depth
    anchor = "x: &deep " + "[" * 10 + "1" + "]" * 10 + "\n"
    fits = "y: " + "[" * (limit - 12) + "*deep" + "]" * (limit - 12) + "\n"
    too_deep = "y: " + "[" * (limit - 10) + "*deep" + "]" * (limit - 10) + "\n"
    assert load(anchor + fits).data
    assert problem(anchor + too_deep)[0] == "WK109"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 60_000 + "]" * 60_000 + "\n",
        "a:\n  " + "- " * 100_000 + "x\n",
        "? " * 100_000 + "x\n",
        "a: " + "{a: " * 60_000 + "1" + "}" * 60_000 + "\n",
    ],
    ids=["flow-sequences", "block-sequences", "explicit-keys", "flow-mappings"],
)
def test_very_deep_nesting_fails_fast_and_safely(text: str) -> None:
    """Tens of thousands of levels once crashed the interpreter in the C composer.

    Run in a child process, so a regression shows as a failed test, not a dead run.
    """
    code = textwrap.dedent(
        """\
        import sys
        from workflowkit.errors import DocumentError
        from workflowkit.source.loader import load_text
        try:
            load_text(sys.stdin.read(), name="deep.yaml")
        except DocumentError as exc:
            print(exc.diagnostics[0].code)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "WK109"


def _laughs(levels: int) -> str:
    lines = ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for n in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"lol{n}: &{n} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = n
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_in_bounded_memory() -> None:
    text = _laughs(9)  # 9**9 (387 million) strings once expanded
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as info:
            load_text(text, name="laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.diagnostics[0].code == "WK110"
    assert peak < 2_000_000, f"peak {peak} bytes"


def test_billion_laughs_memory_does_not_grow_with_the_expansion() -> None:
    peaks = []
    for levels in (6, 12):
        tracemalloc.start()
        with pytest.raises(DocumentError):
            load_text(_laughs(levels), name="laughs.yaml")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 3 + 100_000


def test_alias_expansion_under_the_limit_is_read() -> None:
    text = _laughs(3)  # 1 + 10 + 91 + 820 nodes
    data = load(text).data
    assert len(data["lolc"]) == 9 and data["lolc"][0][0] == ["lol"] * 9
    assert problem(text, max_nodes=500)[0] == "WK110"


def test_recursive_alias() -> None:
    assert problem("a: &a [1, *a]\n") == ("WK110", 1, 4)
    assert problem("a: &m {b: *m}\n") == ("WK110", 1, 4)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id: x\ntags: [", (2, 8)),  # no line break at the end: the end of the last line
        ("id: x\ntags: [\n", (3, 1)),  # with one, the empty line after it
        ("id: x\r\ntags: {a: ", (2, 11)),
    ],
)
def test_a_problem_at_the_end_of_the_text_is_marked_inside_it(
    text: str, where: tuple[int, int]
) -> None:
    with pytest.raises(DocumentError) as info:
        load_text(text, name="cut.yaml")
    (d,) = info.value.diagnostics
    assert d.code == "WK101" and (d.line, d.col) == where
