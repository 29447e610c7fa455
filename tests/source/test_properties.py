"""Properties of the source layer and the template validator, over generated documents.

- Mutated valid documents (keys deleted or renamed, wrong types, shuffled lists, garbage
  scalars, random unicode, deep nesting, edited text) never crash the validator: only
  diagnostics come out, each with a catalogued code and a position inside the file.
- A valid document round-trips through load, model, dump and load unchanged.
- The same document written as YAML and as JSON gives the same model.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from template_strategies import any_text, documents, libraries, mutated, templates

from workflowkit.errors import Diagnostic, Severity
from workflowkit.source.codes import CODES
from workflowkit.source.dump import dump_json, dump_yaml, dump_yaml_data
from workflowkit.source.workspace import parse_text, read_workspace

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "valid"
EXAMPLE_FILES = sorted(
    p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
)

_YAML_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _serialise(doc: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=1)
    return dump_yaml_data(doc)


def _assert_located(diagnostics: list[Diagnostic], text: str, fmt: str) -> None:
    """Every diagnostic is catalogued and points inside ``text``."""
    lines = text.split("\n") if fmt == "json" else _YAML_BREAKS.split(text)
    for d in diagnostics:
        assert d.code in CODES, d.format()
        assert d.message.strip(), d.format()
        assert d.line is not None and d.col is not None, d.format()
        assert 1 <= d.line <= len(lines), f"{d.format()} (the text has {len(lines)} lines)"
        assert 1 <= d.col <= len(lines[d.line - 1]) + 1, f"{d.format()}: {lines[d.line - 1]!r}"


def _errors(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.format() for d in diagnostics if d.severity is Severity.ERROR]


# ---------------------------------------------------------------------------------
# Mutations never crash
# ---------------------------------------------------------------------------------


def _example_data() -> list[Any]:
    out = []
    for path in EXAMPLE_FILES:
        parsed = parse_text(path.read_bytes(), name=path.name)
        out.append(parsed.source.data)
    return out


example_documents = st.sampled_from(_example_data())


@given(doc=mutated(st.one_of(documents, example_documents)), fmt=st.sampled_from(["yaml", "json"]))
def test_mutated_documents_give_only_diagnostics(doc: Any, fmt: str) -> None:
    text = _serialise(doc, fmt)
    parsed = parse_text(text, name=f"mutated.{fmt}")
    _assert_located(parsed.diagnostics, text, fmt)
    if parsed.spec is None:
        assert _errors(parsed.diagnostics), "a document without a spec must say why"


@given(
    doc=documents,
    fmt=st.sampled_from(["yaml", "json"]),
    edits=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 8), any_text), min_size=1, max_size=4
    ),
)
def test_edited_text_gives_only_diagnostics(
    doc: dict[str, Any], fmt: str, edits: list[tuple[int, int, str]]
) -> None:
    text = _serialise(doc, fmt)
    for at, cut, insert in edits:
        i = at % (len(text) + 1)
        text = text[:i] + insert + text[i + cut :]
    parsed = parse_text(text, name=f"edited.{fmt}")
    _assert_located(parsed.diagnostics, text, fmt)


@given(raw=st.binary(max_size=300))
def test_random_bytes_give_only_diagnostics(raw: bytes) -> None:
    for name in ("bytes.yaml", "bytes.json"):
        parsed = parse_text(raw, name=name)
        for d in parsed.diagnostics:
            assert d.code in CODES, d.format()
            assert d.line is not None and d.line >= 1, d.format()


@settings(max_examples=25)
@given(
    docs=st.lists(
        st.tuples(st.one_of(mutated(), documents), st.sampled_from(["yaml", "json"])),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_workspaces_give_only_diagnostics(docs: list[tuple[Any, str]]) -> None:
    """The whole path: files on disk, every document, then the checks across them."""
    with tempfile.TemporaryDirectory() as tmp:
        texts = {}
        for i, (doc, fmt) in enumerate(docs):
            path = Path(tmp) / f"doc{i}.{fmt}"
            text = _serialise(doc, fmt)
            path.write_text(text, encoding="utf-8")
            texts[str(path)] = (text, fmt)
        ws = read_workspace([tmp])
        for d in ws.diagnostics():
            assert d.file in texts, d.format()
            text, fmt = texts[d.file]
            _assert_located([d], text, fmt)


# ---------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------


@given(doc=documents)
def test_valid_documents_read_clean(doc: dict[str, Any]) -> None:
    parsed = parse_text(dump_yaml_data(doc), name="doc.yaml")
    assert [d.format() for d in parsed.diagnostics] == []
    assert parsed.spec is not None


@given(doc=documents)
def test_load_model_dump_load_round_trips(doc: dict[str, Any]) -> None:
    first = parse_text(dump_yaml_data(doc), name="doc.yaml").spec
    assert first is not None
    text = dump_yaml(first)
    again = parse_text(text, name="again.yaml")
    assert _errors(again.diagnostics) == []
    assert again.spec == first
    assert dump_yaml(again.spec) == text, "dumping is stable"
    as_json = parse_text(dump_json(first), name="again.json")
    assert as_json.spec == first


@given(doc=st.one_of(templates(), libraries()))
def test_yaml_and_json_give_the_same_model(doc: dict[str, Any]) -> None:
    from_yaml = parse_text(dump_yaml_data(doc), name="doc.yaml")
    from_json = parse_text(json.dumps(doc), name="doc.json")
    assert from_yaml.spec is not None
    assert from_yaml.spec == from_json.spec
    assert from_yaml.source.data == from_json.source.data
    ascii_json = json.dumps(doc)
    if not re.search(r"\\u[dD][89a-fA-F]", ascii_json):  # YAML has no surrogate escapes
        from_json_as_yaml = parse_text(ascii_json, name="doc.yaml")  # JSON is YAML 1.2
        assert from_json_as_yaml.spec == from_yaml.spec


def test_example_files_round_trip() -> None:
    for path in EXAMPLE_FILES:
        parsed = parse_text(path.read_bytes(), name=path.name)
        assert parsed.spec is not None, path
        again = parse_text(dump_yaml(parsed.spec), name="again.yaml")
        assert again.spec == parsed.spec, path
