"""Diagnostic reporters: text, json, github and sarif, kept in a registry by name."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workflowkit import __version__
from workflowkit.cli.colour import Palette
from workflowkit.cli.safe_text import clean, terminal
from workflowkit.errors import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class FileReport:
    """One file and its diagnostics (``text`` is kept for showing source lines)."""

    file: str
    diagnostics: Sequence[Diagnostic]
    text: str = ""


Reporter = Callable[[Sequence[FileReport], bool], str]


def _summary(files: Sequence[FileReport], strict: bool) -> dict[str, int]:
    diags = [d for f in files for d in f.diagnostics]
    errors = sum(
        1
        for d in diags
        if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
    )
    warnings = sum(1 for d in diags if d.severity is Severity.WARNING) if not strict else 0
    return {
        "files": len(files),
        "files_with_problems": sum(1 for f in files if f.diagnostics),
        "errors": errors,
        "warnings": warnings,
    }


def _severity(d: Diagnostic, strict: bool) -> Severity:
    if strict and d.severity is Severity.WARNING:
        return Severity.ERROR
    return d.severity


def text_report(files: Sequence[FileReport], strict: bool, palette: Palette | None = None) -> str:
    """The text report; with an active ``palette`` (cli.colour) the code, the severity and
    the summary's counts are coloured after escaping, never the file names or messages."""
    lines: list[str] = []
    painted: list[tuple[int, int, str, str]] = []  # line, offset of the code, code+label, sev
    for f in files:
        source = f.text.splitlines() if f.text else []
        for d in f.diagnostics:
            sev = _severity(d, strict)
            label = "" if sev is Severity.ERROR else f"[{sev.value}] "
            where = clean(d.file or f.file)
            if d.line is not None:
                where += f":{d.line}:{d.col or 1}"
            at = len(terminal(f"{where}: "))
            painted.append((len(lines), at, f"{d.code} {label}", sev.value))
            lines.append(f"{where}: {d.code} {label}{clean(d.message)}")
            if d.line is not None and 0 < d.line <= len(source):
                src = source[d.line - 1]
                lines.append(f"    {clean(src)}")
                lines.append("    " + " " * max((d.col or 1) - 1, 0) + "^")
            if d.hint:
                lines.append(f"    hint: {clean(d.hint)}")
    s = _summary(files, strict)
    if s["errors"] or s["warnings"]:
        lines.append(
            f"{s['errors']} error(s), {s['warnings']} warning(s) in "
            f"{s['files_with_problems']} of {s['files']} file(s)"
        )
    else:
        lines.append(f"{s['files']} file(s) valid")
    if palette is None or not palette.on:
        return terminal("\n".join(lines))
    out = terminal("\n".join(lines)).split("\n")
    for n, at, word, level in painted:
        line, word = out[n], word.rstrip()
        out[n] = line[:at] + palette.severity(word, level) + line[at + len(word) :]
    bad = s["errors"] or s["warnings"]
    out[-1] = palette.paint(out[-1], "error" if s["errors"] else "warning" if bad else "ok")
    return "\n".join(out)


def json_report(files: Sequence[FileReport], strict: bool) -> str:
    """The ``workflowkit.validate`` output (docs/outputs.md)."""
    from workflowkit.cli.outputs.base import render
    from workflowkit.cli.outputs.validate import ValidateOutput

    out = {
        "version": __version__,
        "files": [
            {
                "file": f.file,
                "valid": not any(_severity(d, strict) is Severity.ERROR for d in f.diagnostics),
                "diagnostics": [
                    {**d.to_data(), "severity": _severity(d, strict).value} for d in f.diagnostics
                ],
            }
            for f in files
        ],
        "summary": _summary(files, strict),
    }
    return render(ValidateOutput, out)


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """GitHub's escaping of a workflow command's data (and properties), after every other
    control character is made visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return clean(text)


def github_report(files: Sequence[FileReport], strict: bool) -> str:
    lines = []
    for f in files:
        for d in f.diagnostics:
            sev = _severity(d, strict)
            level = {"error": "error", "warning": "warning", "info": "notice"}[sev.value]
            props = [f"file={_gh_escape(d.file or f.file, prop=True)}"]
            if d.line is not None:
                props.append(f"line={d.line}")
            if d.col is not None:
                props.append(f"col={d.col}")
            props.append(f"title={_gh_escape(d.code, prop=True)}")
            msg = d.message + (f" (hint: {d.hint})" if d.hint else "")
            lines.append(f"::{level} {','.join(props)}::{_gh_escape(msg)}")
    s = _summary(files, strict)
    lines.append(f"{s['errors']} error(s), {s['warnings']} warning(s) in {s['files']} file(s)")
    return "\n".join(lines)  # every value is escaped; a line starts with :: on purpose


DOCS_FALLBACK = "https://workflowkit.dev/docs/"
"""The docs' address when the package's metadata does not say (a source tree not installed)."""


@functools.cache
def docs_url() -> str:
    """The ``Documentation`` URL of ``[project.urls]`` (the installed package's metadata),
    ending in ``/``; :data:`DOCS_FALLBACK` when there is none."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("workflowkit").get_all("Project-URL") or []
    except PackageNotFoundError:
        entries = []
    for entry in entries:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip().rstrip("/") + "/"
    return DOCS_FALLBACK


def help_uri(code: str) -> str:
    """Where a code is documented: docs/diagnostics.md, at the code."""
    return f"{docs_url()}diagnostics.md#{code.lower()}"


def sarif_report(files: Sequence[FileReport], strict: bool) -> str:
    from workflowkit.source.codes import CODES

    used = sorted({d.code for f in files for d in f.diagnostics})
    rules = [
        {
            "id": code,
            "shortDescription": {"text": CODES.get(code, code)},
            "helpUri": help_uri(code),
        }
        for code in used
    ]
    results = []
    for f in files:
        for d in f.diagnostics:
            sev = _severity(d, strict)
            region = {}
            if d.line is not None:
                region = {"startLine": d.line, "startColumn": d.col or 1}
            results.append(
                {
                    "ruleId": d.code,
                    "level": {"error": "error", "warning": "warning", "info": "note"}[sev.value],
                    "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": Path(d.file or f.file).as_posix()},
                                **({"region": region} if region else {}),
                            }
                        }
                    ],
                    **({"properties": {"pointer": d.pointer}} if d.pointer else {}),
                }
            )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "workflowkit",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/workflowkit/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2)


REPORTERS: dict[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
    "sarif": sarif_report,
}
