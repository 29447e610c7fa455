"""One configuration file, found as ruff and yamllint find theirs, and the settings in force.

Pure parts: :func:`parse_config` (text to a :class:`FileLayer` plus located diagnostics),
:func:`merge` (flags > environment > file > defaults, each value with its :class:`Origin`)
and the exclude globs (:func:`compile_glob`, :meth:`Settings.is_excluded`). The only I/O
is :func:`find_config`, which walks up from a folder and reads the file it finds.

Search order, per folder, from the working directory up:

1. ``workflowkit.yaml`` (or ``workflowkit.yml``);
2. ``pyproject.toml``, but only when it has a ``[tool.workflowkit]`` table.

The first folder holding either wins; when it holds both, ``workflowkit.yaml`` is used and
WK219 warns that the ``pyproject.toml`` table is ignored. The search stops at a folder
that holds ``.git`` (it is still searched) or at the filesystem root. Only the standard
library is imported here, so reading the settings stays cheap at start-up (YAML is parsed
only when a ``workflowkit.yaml`` exists).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from workflowkit.errors import Diagnostic, DocumentError, Severity

__all__ = [
    "CONFIG_NAMES",
    "DEFAULTS",
    "FORMATS",
    "KEYS",
    "ConfigError",
    "ConfigFile",
    "FileLayer",
    "Origin",
    "Settings",
    "compile_glob",
    "find_config",
    "load_settings",
    "merge",
    "parse_config",
]

YAML_NAMES: Final = ("workflowkit.yaml", "workflowkit.yml")
CONFIG_NAMES: Final = (*YAML_NAMES, "pyproject.toml")
ENV_DB: Final = "WORKFLOWKIT_DB"

FORMATS: Final = ("text", "json", "github", "sarif", "table", "csv", "ics", "html")
"""Every output format some command offers; ``format`` applies where a command has it."""

KEYS: Final = ("paths", "exclude", "db", "format", "strict")
"""The keys of ``[tool.workflowkit]`` / ``workflowkit.yaml``, in the order they are shown."""

DEFAULTS: Final[Mapping[str, Any]] = MappingProxyType(
    {"paths": (".",), "exclude": (), "db": "workflowkit.db", "format": None, "strict": False}
)

Layer = Literal["flag", "env", "file", "default"]


class ConfigError(DocumentError):
    """The configuration file is not valid: its diagnostics say what and where."""


@dataclass(frozen=True)
class Origin:
    """Where one setting's value came from: its layer and, for a file, ``path:line``."""

    layer: Layer
    where: str = ""

    def describe(self) -> str:
        return f"{self.layer} {self.where}" if self.where else self.layer


@dataclass(frozen=True)
class FileLayer:
    """The values one configuration file sets, each with the line it was set on."""

    path: Path
    values: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent


@dataclass(frozen=True)
class ConfigFile:
    """The file :func:`find_config` chose, its text, and any warning about the choice."""

    path: Path
    text: str
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The settings in force for one command: built once at the CLI edge, then read-only.

    ``paths`` and ``db`` are as a command should use them (a path from the file is joined
    to the file's folder); ``origins`` says where each key's value came from.
    """

    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    db: str = "workflowkit.db"
    format: str | None = None
    strict: bool = False
    root: Path = Path(".")
    config_file: Path | None = None
    origins: Mapping[str, Origin] = field(
        default_factory=lambda: MappingProxyType({k: Origin("default") for k in KEYS})
    )

    def value(self, key: str) -> Any:
        return getattr(self, key)

    def is_excluded(self, path: str | os.PathLike[str]) -> bool:
        """Whether an ``exclude`` glob matches the file (or a folder above it)."""
        return _excluded(Path(path), self.root, self.exclude)


# --- globs -----------------------------------------------------------------------------


def _component(part: str, pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(part):
        ch = part[i]
        if ch == "*":
            if not out or out[-1] != "[^/]*":  # `**` inside a name is one `*`
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = i + 1
            if j < len(part) and part[j] in "!^":
                j += 1
            if j < len(part) and part[j] == "]":
                j += 1
            while j < len(part) and part[j] != "]":
                j += 1
            if j >= len(part):
                raise ValueError(f"glob {pattern!r} has a '[' that is never closed")
            body = part[i + 1 : j]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_glob(pattern: str) -> tuple[bool, re.Pattern[str]]:
    """``(anchored, regex)`` for an exclude glob, or ``ValueError`` saying what is wrong.

    A glob without ``/`` matches any one file or folder name at any depth; one with ``/``
    matches the path from the root (the config file's folder, else the working
    directory). ``*`` and ``?`` stay within a name, ``**`` as a whole part spans folders
    (inside a name it is one ``*``), ``[...]`` is a class (``[!...]`` negated).
    """
    text = pattern.strip()
    if not text:
        raise ValueError("an exclude glob is empty")
    if text.startswith("./"):
        text = text[2:]
    text = text.strip("/") if text != "/" else ""
    if not text:
        raise ValueError(f"glob {pattern!r} matches nothing")
    parts = text.split("/")
    if len(parts) == 1 and "/" not in pattern.strip().strip("/"):
        return False, re.compile(_component(parts[0], pattern))
    pieces: list[str] = []
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else "(?:[^/]+/)*")
        else:
            pieces.append(_component(part, pattern) + ("" if last else "/"))
    return True, re.compile("".join(pieces))


def _excluded(path: Path, root: Path, globs: Sequence[str]) -> bool:
    if not globs:
        return False
    try:
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
    except ValueError:  # pragma: no cover - another drive (Windows)
        rel = path
    parts = [p for p in rel.parts if p not in (".", "")]
    if not parts:
        return False
    outside = parts[0] == ".."
    compiled = [compile_glob(g) for g in globs]
    for anchored, regex in compiled:
        if not anchored:
            if any(regex.fullmatch(p) for p in parts if p != ".."):
                return True
        elif not outside:
            for n in range(1, len(parts) + 1):
                if regex.fullmatch("/".join(parts[:n])):
                    return True
    return False


# --- finding and parsing ---------------------------------------------------------------

_TOOL_TABLE = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*workflowkit[ \t]*\][ \t]*(#.*)?$", re.M)


def _has_table(text: str) -> bool:
    return "workflowkit" in text and (
        _TOOL_TABLE.search(text) is not None or "tool.workflowkit" in text
    )


def find_config(start: str | os.PathLike[str]) -> ConfigFile | None:
    """The configuration file that applies in ``start``: searched upwards (see above)."""
    folder = Path(os.path.abspath(start))
    while True:
        yaml_file = next((folder / n for n in YAML_NAMES if (folder / n).is_file()), None)
        pyproject = folder / "pyproject.toml"
        table: str | None = None
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            table = text if _has_table(text) else None
        if yaml_file is not None:
            warnings: tuple[Diagnostic, ...] = ()
            if table is not None:
                warnings = (
                    Diagnostic(
                        "WK219",
                        f"both {yaml_file.name} and pyproject.toml [tool.workflowkit] are "
                        f"here; {yaml_file.name} is used and the pyproject.toml table ignored",
                        file=str(pyproject),
                        line=_header_line(table),
                        col=1,
                        severity=Severity.WARNING,
                        hint="keep one of the two",
                    ),
                )
            return ConfigFile(yaml_file, _read(yaml_file), warnings)
        if table is not None:
            return ConfigFile(pyproject, table)
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError.of(
            [Diagnostic("WK215", f"cannot read the configuration file: {exc}", file=str(path))]
        ) from None


def _header_line(text: str) -> int:
    m = _TOOL_TABLE.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _toml_positions(text: str) -> dict[str, tuple[int, int]]:
    """Line and value column of each key in the ``[tool.workflowkit]`` table (a text scan:
    tomllib gives no positions). Keys it cannot see (inline or dotted forms) are left out."""
    out: dict[str, tuple[int, int]] = {}
    m = _TOOL_TABLE.search(text)
    if m is None:
        return out
    first = text.count("\n", 0, m.start()) + 2
    key_re = re.compile(r"""^[ \t]*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))[ \t]*=[ \t]*""")
    for n, line in enumerate(text[m.end() :].split("\n")[1:], start=first):
        if line.lstrip().startswith("["):
            break
        km = key_re.match(line)
        if km:
            key = km.group(1) or km.group(2) or km.group(3)
            out.setdefault(key, (n, km.end() + 1))
    return out


def _locator_toml(path: Path, text: str) -> Any:
    positions = _toml_positions(text)
    header = _header_line(text)

    def locate(key: str, pointer: str, *, on_key: bool = False) -> tuple[int, int]:
        line, col = positions.get(key, (header, 1))
        if on_key and key in positions:
            raw = text.split("\n")[line - 1]
            col = len(raw) - len(raw.lstrip()) + 1
        return line, col

    return locate


def parse_config(path: str | os.PathLike[str], text: str) -> FileLayer:
    """The values one configuration file sets; :class:`ConfigError` (WK215-WK218, each
    located) if it does not parse or holds an unknown key, a wrong type or a bad value."""
    p = Path(path)
    name = str(path)
    if p.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            pos = re.search(r"\(at line (\d+), column (\d+)\)", msg)
            line, col = (int(pos.group(1)), int(pos.group(2))) if pos else (None, None)
            msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
            raise ConfigError.of(
                [Diagnostic("WK215", f"TOML syntax error: {msg}", file=name, line=line, col=col)]
            ) from None
        tool = data.get("tool", {})
        table = tool.get("workflowkit") if isinstance(tool, dict) else None
        locate = _locator_toml(p, text)
        if not isinstance(table, dict):
            line, _ = locate("", "")
            raise ConfigError.of(
                [Diagnostic("WK217", "tool.workflowkit must be a table", file=name, line=line)]
            )
    else:
        table, locate = _parse_yaml(name, text)
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}

    def diag(code: str, message: str, key: str, pointer: str, hint: str | None = None) -> None:
        line, col = locate(key, pointer, on_key=code == "WK216")
        problems.append(Diagnostic(code, message, file=name, line=line, col=col, hint=hint))

    for key, value in table.items():
        key_s = str(key)
        if key_s not in KEYS:
            import difflib

            close = difflib.get_close_matches(key_s, KEYS, n=1)
            diag(
                "WK216",
                f"unknown key {key_s!r} in the configuration",
                key_s,
                f"/{key_s}",
                hint=f"did you mean {close[0]!r}?" if close else f"the keys are {', '.join(KEYS)}",
            )
            continue
        checked = _check(key_s, value, diag)
        if checked is not None:
            values[key_s] = checked[0]
            lines[key_s] = locate(key_s, f"/{key_s}")[0]
    if problems:
        raise ConfigError.of(problems, f"{name}: the configuration is not valid")
    return FileLayer(p, MappingProxyType(values), MappingProxyType(lines))


def _check(key: str, value: Any, diag: Any) -> tuple[Any] | None:
    where = f"/{key}"
    if key in ("paths", "exclude"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            diag("WK217", f"{key} must be a list of strings", key, where, f'{key} = ["..."]')
            return None
        if key == "paths" and not value:
            diag("WK218", "paths is empty", key, where, 'leave it out for ".", or list folders')
            return None
        bad = False
        for n, item in enumerate(value):
            if not item.strip():
                diag("WK218", f"{key}[{n}] is empty", key, f"{where}/{n}")
                bad = True
            elif key == "exclude":
                try:
                    compile_glob(item)
                except ValueError as exc:
                    diag("WK218", f"exclude[{n}]: {exc}", key, f"{where}/{n}")
                    bad = True
        return None if bad else (tuple(value),)
    if key == "db":
        if not isinstance(value, str):
            diag("WK217", "db must be a string (a SQLite file or a postgresql:// URL)", key, where)
            return None
        if not value.strip():
            diag("WK218", "db is empty", key, where)
            return None
        return (value,)
    if key == "format":
        if not isinstance(value, str):
            diag("WK217", "format must be a string", key, where)
            return None
        if value not in FORMATS:
            import difflib

            close = difflib.get_close_matches(value, FORMATS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"one of {', '.join(FORMATS)}"
            diag("WK218", f"unknown format {value!r}", key, where, hint)
            return None
        return (value,)
    if not isinstance(value, bool):  # strict
        diag("WK217", "strict must be true or false", key, where)
        return None
    return (value,)


def _parse_yaml(name: str, text: str) -> tuple[dict[str, Any], Any]:
    from workflowkit.source.loader import load_text

    try:
        doc = load_text(text, name=name, format="yaml")
    except DocumentError as exc:
        raise ConfigError.of(
            [
                Diagnostic(
                    "WK215", f"YAML: {d.message}", file=name, line=d.line, col=d.col, hint=d.hint
                )
                for d in exc.diagnostics
            ]
        ) from None
    if not isinstance(doc.data, dict):
        raise ConfigError.of(
            [Diagnostic("WK217", "the configuration must be a mapping", file=name, line=1, col=1)]
        )

    def locate(key: str, pointer: str, *, on_key: bool = False) -> tuple[int, int]:
        try:
            return doc.locate(pointer, key=on_key)
        except (KeyError, IndexError, ValueError):  # pragma: no cover - pointer always exists
            return 1, 1

    return dict(doc.data), locate


# --- merging ---------------------------------------------------------------------------


def _join(root: Path, value: str) -> str:
    if "://" in value or os.path.isabs(value):
        return value
    return os.path.relpath(os.path.normpath(root / value)) if root != Path(".") else value


def merge(
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    file: FileLayer | None,
    *,
    cwd: str | os.PathLike[str] = ".",
) -> Settings:
    """Flags > environment > file > defaults, key by key, each with its :class:`Origin`.

    ``flags`` holds only what was given on the command line. Paths set in the file (and
    a relative ``db`` path) are taken from the file's folder; excludes match from it.
    """
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    root = Path(cwd)
    file_root: Path | None = None
    if file is not None:
        file_root = Path(os.path.relpath(file.root, os.path.abspath(cwd)))
    for key in KEYS:
        if key in flags:
            values[key], origins[key] = flags[key], Origin("flag", _FLAG_NAMES[key])
        elif key == "db" and env.get(ENV_DB):
            values[key], origins[key] = env[ENV_DB], Origin("env", ENV_DB)
        elif file is not None and key in file.values:
            value = file.values[key]
            assert file_root is not None
            if key == "paths":
                value = tuple(_join(file_root, v) for v in value)
            elif key == "db":
                value = _join(file_root, value)
            values[key] = value
            origins[key] = Origin("file", f"{file.path}:{file.lines.get(key, 1)}")
        else:
            values[key], origins[key] = DEFAULTS[key], Origin("default")
    if file_root is not None:
        root = file_root
    return Settings(
        paths=tuple(values["paths"]),
        exclude=tuple(values["exclude"]),
        db=values["db"],
        format=values["format"],
        strict=bool(values["strict"]),
        root=root,
        config_file=file.path if file is not None else None,
        origins=MappingProxyType(origins),
    )


_FLAG_NAMES: Final = {
    "paths": "PATH",
    "exclude": "--exclude",
    "db": "--db",
    "format": "--format",
    "strict": "--strict",
}


def load_settings(
    flags: Mapping[str, Any],
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] = ".",
) -> tuple[Settings, tuple[Diagnostic, ...]]:
    """Find the file from ``cwd``, parse it, merge: the settings and any warnings.

    Raises :class:`ConfigError` when the file is not valid (nothing else is done)."""
    found = find_config(cwd)
    layer = parse_config(found.path, found.text) if found is not None else None
    settings = merge(flags, os.environ if env is None else env, layer, cwd=cwd)
    return settings, found.warnings if found is not None else ()


def excluded_files(
    settings: Settings, files: Iterable[str | os.PathLike[str]]
) -> tuple[list[str], list[str]]:
    """``(kept, left_out)``: the files no exclude glob matches, and those one does."""
    kept: list[str] = []
    out: list[str] = []
    for f in files:
        (out if settings.is_excluded(f) else kept).append(str(f))
    return kept, out
