"""A plain document's places found by walking its events are the places its node graph
gives (``source/locate_events.py``): for every key and value of generated documents and
of every shipped YAML file, past-the-end pointers included, as keys and as values."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from workflowkit.source.loader import EVENT_WALKS, LoadedDocument, load_text, pointer_of
from workflowkit.source.locate_events import locate_by_events

ROOT = Path(__file__).resolve().parents[2]


def pointers(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[str]:
    """Every place in ``data``, and beside each collection some that go past it."""
    yield pointer_of(path)
    if isinstance(data, dict):
        yield pointer_of((*path, "no-such-key"))
        for k, v in data.items():
            yield from pointers(v, (*path, k))
    elif isinstance(data, list):
        yield pointer_of((*path, len(data)))  # past the end
        yield pointer_of((*path, "x"))  # not an index
        for i, v in enumerate(data):
            yield from pointers(v, (*path, i))
    else:
        yield pointer_of((*path, "inside-a-scalar"))


def graph_place(doc: LoadedDocument, pointer: str, key: bool) -> tuple[int, int]:
    """The place as the node graph gives it (the document read as not plain)."""
    other = LoadedDocument(doc.name, doc.data, doc.format, doc.text)
    return other.locate(pointer, key=key)


def same_places(text: str) -> int:
    doc = load_text(text, name="t.yaml")
    assert doc._plain, "a fast path read it"
    n = 0
    for pointer in pointers(doc.data):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        for key in (False, True):
            walked = locate_by_events(doc.text, parts, key=key)
            assert walked == graph_place(doc, pointer, key), (pointer, key)
            n += 1
    return n


_KEYS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8
).filter(lambda k: k.strip() == k and k not in ("<<",))
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=12))
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4),
        st.dictionaries(_KEYS, inner, min_size=1, max_size=4),
    ),
    max_leaves=20,
).filter(lambda d: isinstance(d, dict | list))


def _block_yaml(data: Any) -> str:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(data=_DATA, style=st.sampled_from(["block", "flow", "json", "json-indent"]))
def test_walked_places_are_the_graphs_places(data: Any, style: str) -> None:
    if style == "block":
        text = _block_yaml(data)
    elif style == "flow":
        text = json.dumps(data, ensure_ascii=False, separators=(", ", ": ")).replace('": ', '" : ')
    elif style == "json":
        text = json.dumps(data, ensure_ascii=False)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        doc = load_text(text, name="t.yaml")
    except Exception:  # a generated text the YAML reader refuses: nothing to locate
        return
    if doc._plain:
        same_places(text)


def _shipped() -> list[Path]:
    folders = [ROOT / "builtin_templates", ROOT / "examples", ROOT / "docs" / "tutorial"]
    return sorted(p for f in folders for p in f.rglob("*.y*ml"))


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_has_the_same_places(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = load_text(text, name=path.name)
    if not doc._plain:
        pytest.skip("read the full way (anchors, tags...): located by its graph only")
    assert same_places(text) > 0


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a: &x [1, 2]\nb: *x\n", ["b", "0"]),  # an alias on the way
        ("? [1, 2]\n: v\nk: 1\n", ["k"]),  # a collection as a key
        ("a: [1, 2, 3]\n", ["a", "-1"]),  # the graph counts from the end
        ("a: [1, 2\nb: 1\n", ["b"]),  # does not parse before the place
        ("", ["a"]),  # no document
    ],
)
def test_the_walk_leaves_what_it_is_unsure_of_to_the_graph(text: str, parts: list[str]) -> None:
    assert locate_by_events(text, parts) is None


def test_a_document_with_many_places_composes_its_graph_once() -> None:
    text = "id: x\nchecks:\n" + "".join(f"  - id: c{i}\n    title: C {i}\n" for i in range(5))
    doc = load_text(text, name="t.yaml")
    assert doc._plain and not doc._root_loaded
    places = [doc.locate(f"/checks/{i}/title", key=True) for i in range(5)]
    assert places == [(4 + 2 * i, 5) for i in range(5)]
    assert doc._walks == EVENT_WALKS and doc._root_loaded  # walked twice, then composed
    # Sent to another process, the document is still plain and walks again.
    import pickle

    again = pickle.loads(pickle.dumps(doc))
    assert again._plain and again._walks == 0 and not again._root_loaded
    assert again.locate("/id") == (1, 5)
