"""Finding and opening the files of a practice: every odd path is a diagnostic, never a skip.

A path named on the command line, or met while walking a folder, is one of:

- a regular file (or a symbolic link to one): read it;
- a folder: walk it (hidden entries, and links to folders, are left out);
- missing (WK100), a symbolic link to nothing or a link loop (WK127), a FIFO, socket
  or device (WK128), a folder that cannot be listed (WK126), or a file that cannot be
  opened (WK100, "cannot read the file").

All of those are *path* problems: :class:`UnreadablePath` carries them, and
``workflowkit validate`` exits 2 for them (docs/ci.md), where a problem inside a file it
could read (bad bytes, bad YAML, a wrong key) exits 1.

Opening never blocks: a FIFO is opened without waiting for a writer and refused, and a
file is read no further than the size limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from workflowkit.errors import Diagnostic, DocumentError

SUFFIXES = (".yaml", ".yml", ".json")
"""The files a folder is searched for (case-insensitive)."""

PATH_CODES = frozenset({"WK126", "WK127", "WK128"})
"""Codes that are always path problems (WK100 is one too, for a missing or unopenable path)."""


class UnreadablePath(DocumentError):
    """A path that names no readable regular file: missing, a dangling link, a FIFO or a
    device, or one the operating system will not open. Not a problem inside a file."""


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"  # pragma: no cover - doors, whiteouts, event ports


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _link_problem(path: Path, name: str, exc: OSError | None) -> Diagnostic:
    """WK127 for a symbolic link whose target is missing, or a loop of links."""
    if exc is not None and exc.errno == errno.ELOOP:
        return Diagnostic(
            "WK127",
            "a loop of symbolic links: it leads to no file",
            file=name,
            hint="point the link at a file, or remove it",
        )
    try:
        target = os.readlink(path)
    except OSError:  # pragma: no cover - replaced between the two calls
        target = "?"
    return Diagnostic(
        "WK127",
        f"a symbolic link to {target!r}, which does not exist",
        file=name,
        hint="point the link at a file, or remove it",
    )


def stat_problem(path: Path, name: str) -> tuple[os.stat_result | None, Diagnostic | None]:
    """``path``'s status (links followed), or the diagnostic of why there is none."""
    try:
        return path.stat(), None
    except FileNotFoundError as exc:
        if path.is_symlink():
            return None, _link_problem(path, name, exc)
        return None, Diagnostic("WK100", "no such file or folder", file=name)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, _link_problem(path, name, exc)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return None, Diagnostic(
                "WK126",
                f"cannot reach the path: a folder on the way cannot be read ({_reason(exc)})",
                file=name,
                hint="give the user running workflowkit read and search permission on it",
            )
        return None, Diagnostic("WK100", f"cannot read the path: {_reason(exc)}", file=name)


def _folder_problem(folder: Path, exc: OSError) -> Diagnostic:
    return Diagnostic(
        "WK126",
        f"cannot read the folder: {_reason(exc)}",
        file=str(folder),
        hint="give the user running workflowkit read and search permission on it",
    )


def _walk(root: Path) -> list[tuple[Path, Diagnostic | None]]:
    """Every file with a document suffix under ``root``, and every odd entry, unsorted."""
    out: list[tuple[Path, Diagnostic | None]] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            out.append((folder, _folder_problem(folder, exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                    continue
            except OSError as exc:  # pragma: no cover - the entry vanished
                out.append((path, Diagnostic("WK100", _reason(exc), file=str(path))))
                continue
            if not entry.name.lower().endswith(SUFFIXES):
                continue
            status, problem = stat_problem(path, str(path))
            if problem is not None:
                out.append((path, problem))
            elif status is not None and stat.S_ISREG(status.st_mode):
                out.append((path, None))
            elif status is not None and not stat.S_ISDIR(status.st_mode):
                out.append((path, _not_regular(str(path), status.st_mode)))
            # A link to a folder is not followed, as folders are walked without links.
    return out


def _not_regular(name: str, mode: int) -> Diagnostic:
    return Diagnostic(
        "WK128",
        f"not a regular file: {_kind_of(mode)}",
        file=name,
        hint="name a file or a folder of files",
    )


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, Diagnostic | None]]:
    """Files to read under ``paths`` (folders recurse, sorted), each with ``None``; and
    every path problem met on the way, as ``(path, diagnostic)`` in its place."""
    for raw in paths:
        p = Path(raw)
        status, problem = stat_problem(p, str(raw))
        if problem is not None:
            yield p, problem
        elif status is not None and stat.S_ISDIR(status.st_mode):
            yield from sorted(_walk(p), key=lambda pair: pair[0])
        elif status is not None and stat.S_ISREG(status.st_mode):
            yield p, None
        elif status is not None:
            yield p, _not_regular(str(raw), status.st_mode)


def read_bytes(path: str | os.PathLike[str], name: str, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes + 1`` of them (so a caller
    can tell it is over). Raises :class:`UnreadablePath` for anything else; never blocks."""
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ELOOP):
            _, problem = stat_problem(p, name)
            if problem is not None:
                raise UnreadablePath.of([problem]) from None
        denied = exc.errno in (errno.EACCES, errno.EPERM)
        raise UnreadablePath.of(
            [
                Diagnostic(
                    "WK100",
                    f"cannot read the file: {_reason(exc)}",
                    file=name,
                    hint="give the user running workflowkit read permission on it"
                    if denied
                    else None,
                )
            ]
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadablePath.of(
                [Diagnostic("WK100", "cannot read the file: it is a folder", file=name)]
            )
        if not stat.S_ISREG(mode):
            raise UnreadablePath.of([_not_regular(name, mode)])
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadablePath.of(
            [Diagnostic("WK100", f"cannot read the file: {_reason(exc)}", file=name)]
        ) from None
    finally:
        os.close(fd)
