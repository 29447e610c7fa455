"""The rule set linter: example files with the codes they must give, and the WK5xx
examples of docs/diagnostics.md, which must print exactly what they show."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from workflowkit.errors import Severity
from workflowkit.source.codes import CODES
from workflowkit.source.workspace import read_workspace

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).resolve().parent / "examples"
HEADING = re.compile(r"^#{2,4} .*?\b(WK\d{3})\b", re.M)
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[^\n]*\n(.*?)^```", re.M | re.S)
FILE_NAME = re.compile(r"^#\s*file:\s*(\S+)\s*$")

EXPECTED: dict[str, list[tuple[str, Severity]]] = {
    "lint/unknown-user.yaml": [("WK502", Severity.ERROR)],
    "lint/unknown-payment-method.yaml": [("WK501", Severity.ERROR), ("WK501", Severity.ERROR)],
    "lint/two-rules-one-supplier.yaml": [("WK503", Severity.ERROR)],
    "lint/approval-blocks-auto-publish.yaml": [("WK504", Severity.WARNING)],
    "lint/shadowed-by-payment-method.yaml": [
        ("WK505", Severity.WARNING),
        ("WK505", Severity.WARNING),
    ],
    "lint/split-cannot-add-up.yaml": [
        ("WK507", Severity.ERROR),
        ("WK506", Severity.ERROR),
        ("WK506", Severity.ERROR),
    ],
    "lint/duplicates.yaml": [
        ("WK508", Severity.ERROR),
        ("WK509", Severity.ERROR),
        ("WK509", Severity.ERROR),
    ],
    "lint/sets-nothing.yaml": [("WK512", Severity.WARNING)],
    "workspace": [("WK510", Severity.ERROR), ("WK510", Severity.ERROR)],
    "unknown-client": [("WK511", Severity.ERROR)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_lint_example_gives_its_codes(name: str) -> None:
    ws = read_workspace([EXAMPLES / name])
    got = [(d.code, d.severity) for d in ws.diagnostics()]
    assert got == EXPECTED[name], [d.format() for d in ws.diagnostics()]
    assert all(d.line is not None and d.col is not None for d in ws.diagnostics())


def test_every_lint_example_is_listed() -> None:
    files = {f"lint/{p.name}" for p in (EXAMPLES / "lint").glob("*.yaml")}
    assert files <= set(EXPECTED)


@pytest.mark.parametrize("name", ["acme.yaml", "acme-v2.yaml"])
def test_valid_examples_are_clean(name: str) -> None:
    ws = read_workspace([EXAMPLES / name])
    assert ws.diagnostics() == []


def test_every_lint_code_is_used_by_an_example() -> None:
    used = {code for codes in EXPECTED.values() for code, _ in codes}
    ours = {c for c in CODES if c.startswith("WK5")}
    assert ours == used


def _sections() -> dict[str, str]:
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    marks = list(HEADING.finditer(text))
    out: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out[m.group(1)] = text[m.start() : end]
    return out


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("WK5")))
def test_diagnostics_doc_example_gives_the_message_shown(code: str, tmp_path: Path) -> None:
    section = _sections().get(code)
    assert section is not None, f"{code} is not documented in docs/diagnostics.md"
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section)]
    pairs = [
        (body, shown)
        for (lang, body), (next_lang, shown) in itertools.pairwise(blocks)
        if lang == "yaml" and next_lang == "text"
    ]
    assert pairs, f"{code}: give a ```yaml example and the ```text it prints"
    for n, (body, shown) in enumerate(pairs):
        folder = tmp_path / f"example{n}"
        folder.mkdir()
        for part in re.split(r"^---\s*$", body, flags=re.M) if "# file:" in body else [body]:
            first = part.strip().splitlines()[0]
            m = FILE_NAME.match(first)
            (folder / (m.group(1) if m else "example.yaml")).write_text(
                part.lstrip("\n"), encoding="utf-8"
            )
        printed = [
            d.format().replace(f"{folder}/", "") for d in read_workspace([folder]).diagnostics()
        ]
        assert printed == shown.strip().splitlines()


def _codes(text: str) -> list[tuple[str, str]]:
    from workflowkit.source.workspace import parse_text

    parsed = parse_text(text, name="x.yaml")
    return [(d.code, d.pointer) for d in parsed.diagnostics]


HEAD = "apiVersion: workflowkit/v1\nkind: RuleSet\nid: x\n"


def test_every_user_always_setting_a_field_shadows_supplier_rules() -> None:
    text = HEAD + (
        "users: [a@p.test, b@p.test]\n"
        "payment_methods: [Card]\n"
        "suppliers: [{id: s, name: S, payment_method: Card, project: P}]\n"
        "user_rules:\n"
        "  - {user: a@p.test, payment_method: Card}\n"
        "  - {user: b@p.test, payment_method: Card, project: {value: Q, fill: if_blank}}\n"
    )
    assert _codes(text) == [("WK505", "/suppliers/0/payment_method")]


def test_account_auto_publish_under_an_approval_for_everything() -> None:
    text = HEAD + ("account: {auto_publish: true}\napproval_workflows: [{id: all-costs}]\n")
    assert _codes(text) == [("WK504", "/account/auto_publish")]
    partial = text.replace("{id: all-costs}", "{id: big, over: 1000}")
    assert _codes(partial) == []


def test_split_warnings_and_limits() -> None:
    full = HEAD + (
        "suppliers:\n  - id: s\n    name: S\n    smart_split:\n"
        "      lines: [{percent: 60, category: A}, {percent: 40, category: B}]\n"
        "      remainder: {category: C}\n"
    )
    assert _codes(full) == [("WK506", "/suppliers/0/smart_split/remainder")]
    many = HEAD + (
        "suppliers:\n  - id: s\n    name: S\n    smart_split:\n      lines:\n"
        + "".join("        - {amount: 1}\n" for _ in range(50))
    )
    assert _codes(many) == [("WK506", "/suppliers/0/smart_split")]
    yen = many.replace("name: S\n", "name: S\n    currency: JPY\n").replace(
        "".join("        - {amount: 1}\n" for _ in range(50)), "        - {amount: 1.5}\n"
    )
    assert _codes(yen) == [("WK506", "/suppliers/0/smart_split")]


def test_customer_line_item_extraction_has_no_effect() -> None:
    text = HEAD + "customers: [{id: c, name: C, category: Sales, extract_line_items: true}]\n"
    assert _codes(text) == [("WK512", "/customers/0/extract_line_items")]


def test_money_in_yaml_is_exact() -> None:
    from workflowkit.source.workspace import parse_text

    text = HEAD + (
        "suppliers:\n  - id: s\n    name: S\n    smart_split:\n"
        "      lines: [{amount: 0.1, category: A}, {amount: '0.20', category: B}]\n"
        "approval_workflows: [{id: w, over: 1000.10}]\n"
    )
    spec = parse_text(text, name="x.yaml").spec
    assert [str(ln.amount) for ln in spec.suppliers[0].smart_split.lines] == ["0.1", "0.20"]
    # Built from the scalar's text, not the float: the written places stay (issue 19, F10).
    assert str(spec.approval_workflows[0].over) == "1000.10"
