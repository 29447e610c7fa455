"""F8 and F16 (issue 19): unreadable and odd paths are errors with exit 2, never skipped.

docs/ci.md's table is the contract: exit 2 for "a path that does not exist or cannot be
read". An unreadable folder (WK126), a file that cannot be opened (WK100), a dangling
link or a link loop (WK127), a FIFO or a device (WK128): each is reported with its path,
whether named directly or met in a folder.

Root reads anything whatever its mode, and these tests (like CI) often run as root. The
unreadable cases therefore run the CLI in a child process without that privilege: as an
ordinary user (``setuid``) when the interpreter is reachable by one, else as root without
the capabilities that override file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, dropped
from the bounding set before ``exec``). They skip only when neither can be done, and under
``CI=true`` that is a failure instead (tests/unprivileged_helpers.py).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from unprivileged_helpers import open_folder, unprivileged
from workflowkit.cli.main import main
from workflowkit.errors import DocumentError
from workflowkit.source.loader import read_path
from workflowkit.source.paths import UnreadablePath
from workflowkit.source.workspace import iter_files, read_workspace

VALID = (
    "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: {id}\nname: T\nversion: 1.0.0\n"
    "checks:\n  - id: c\n    title: C\n"
)


def write(folder: Path, name: str, tid: str = "t") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(VALID.format(id=tid), encoding="utf-8")
    return path


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder anyone may enter (pytest's tmp_path is private to its owner)."""
    yield from open_folder("wk-paths-")


def validate_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    drop = unprivileged()
    return subprocess.run(
        [sys.executable, "-m", "workflowkit", "validate", *args],
        preexec_fn=drop,
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "GITHUB_ACTIONS": "false"},
    )


def lines(proc: subprocess.CompletedProcess[str], folder: Path) -> list[str]:
    return [
        line.replace(f"{folder}/", "")
        for line in proc.stdout.splitlines()
        if " WK" in line and not line.startswith(" ")
    ]


# ---------------------------------------------------------------------------------
# F8: unreadable folders and files
# ---------------------------------------------------------------------------------


def test_an_unreadable_folder_is_an_error_not_zero_valid_files(folder: Path) -> None:
    locked = folder / "locked"
    write(locked, "t.yaml")
    locked.chmod(0)
    proc = validate_unprivileged(str(locked))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert lines(proc, folder) == ["locked: WK126 cannot read the folder: Permission denied"]
    assert "0 file(s)" not in proc.stdout


def test_an_unreadable_sub_folder_is_reported_and_the_rest_still_validated(
    folder: Path,
) -> None:
    write(folder, "a.yaml", "a")
    bad = write(folder, "b.yaml", "b")
    bad.write_text(VALID.format(id="b") + "colour: blue\n", encoding="utf-8")
    locked = folder / "nested" / "locked"
    write(locked, "c.yaml", "c")
    locked.chmod(0o300)  # may be entered, not listed
    proc = validate_unprivileged("-f", "json", str(folder))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    codes = {
        Path(f["file"]).relative_to(folder).as_posix(): [d["code"] for d in f["diagnostics"]]
        for f in report["files"]
    }
    assert codes == {"a.yaml": [], "b.yaml": ["WK113"], "nested/locked": ["WK126"]}


def test_an_unreadable_file_exits_2_as_docs_ci_says(folder: Path) -> None:
    secret = write(folder, "secret.yaml")
    secret.chmod(0)
    write(folder, "ok.yaml", "ok")
    for target in (secret, folder):
        proc = validate_unprivileged(str(target))
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert lines(proc, folder) == ["secret.yaml: WK100 cannot read the file: Permission denied"]


def test_a_path_behind_an_unsearchable_folder_is_not_missing(folder: Path) -> None:
    locked = folder / "locked"
    write(locked, "t.yaml")
    locked.chmod(0)
    proc = validate_unprivileged(str(locked / "t.yaml"))
    assert proc.returncode == 2
    (line,) = lines(proc, folder)
    assert line.startswith("locked/t.yaml: WK126 cannot reach the path")
    assert "no such file" not in proc.stdout


# ---------------------------------------------------------------------------------
# F16: dangling links, link loops, FIFOs and devices
# ---------------------------------------------------------------------------------


def test_a_dangling_link_in_a_folder_is_reported(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder, "ok.yaml")
    (folder / "gone.yaml").symlink_to(folder / "moved-away.yaml")
    assert main(["validate", str(folder)]) == 2
    out = capsys.readouterr().out
    assert (
        f"{folder}/gone.yaml: WK127 a symbolic link to "
        f"'{folder}/moved-away.yaml', which does not exist" in out
    )


def test_a_dangling_link_named_directly_is_not_no_such_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "gone.yaml").symlink_to("moved-away.yaml")
    assert main(["validate", str(folder / "gone.yaml")]) == 2
    out = capsys.readouterr().out
    assert "WK127 a symbolic link to 'moved-away.yaml', which does not exist" in out
    assert "no such file" not in out


def test_a_link_loop_is_reported(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    assert main(["validate", str(folder)]) == 2
    out = capsys.readouterr().out
    assert out.count("WK127 a loop of symbolic links") == 2


def test_a_link_to_a_file_is_still_read(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = write(folder / "elsewhere", "real.txt")
    (folder / "linked.yaml").symlink_to(real)
    assert main(["validate", str(folder / "linked.yaml")]) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_directly_or_in_a_folder_is_refused_without_blocking(
    folder: Path,
) -> None:
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    for target in (fifo, folder):
        # A child process, so a read that blocked would fail on the timeout, not hang.
        proc = subprocess.run(
            [sys.executable, "-m", "workflowkit", "validate", str(target)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert lines(proc, folder) == ["pipe.yaml: WK128 not a regular file: a FIFO (named pipe)"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_named_directly_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/dev/null"]) == 2
    out = capsys.readouterr().out
    assert "/dev/null: WK128 not a regular file: a character device" in out
    assert "no such file" not in out


def test_a_missing_path_is_still_no_such_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder / "nope.yaml")]) == 2
    assert "WK100 no such file or folder" in capsys.readouterr().out


def test_path_problems_exit_2_even_beside_findings(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(folder, "bad.yaml")
    bad.write_text(VALID.format(id="t") + "colour: blue\n", encoding="utf-8")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    assert main(["validate", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "WK113" in out and "WK127" in out


# ---------------------------------------------------------------------------------
# The API under the CLI
# ---------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_read_path_refuses_odd_paths_with_a_typed_error(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "dir.yaml").mkdir()
    expected = {
        "pipe.yaml": "WK128",
        "gone.yaml": "WK127",
        "dir.yaml": "WK100",
        "missing.yaml": "WK100",
    }
    for name, code in expected.items():
        with pytest.raises(UnreadablePath) as info:
            read_path(folder / name)
        assert isinstance(info.value, DocumentError)
        assert [d.code for d in info.value.diagnostics] == [code], name
    # A problem inside a readable file is a DocumentError, not a path problem.
    (folder / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    with pytest.raises(DocumentError) as other:
        read_path(folder / "latin1.yaml")
    assert not isinstance(other.value, UnreadablePath)


def test_the_walker_yields_each_odd_entry_in_order(folder: Path) -> None:
    write(folder, "b.yaml")
    write(folder, "a/z.yaml")
    (folder / "c.yaml").symlink_to("nowhere.yaml")
    write(folder, ".hidden/x.yaml")
    (folder / ".hidden-link.yaml").symlink_to("nowhere.yaml")
    write(folder, "notes.txt")
    found = [
        (p.relative_to(folder).as_posix(), d.code if d else None) for p, d in iter_files([folder])
    ]
    assert found == [("a/z.yaml", None), ("b.yaml", None), ("c.yaml", "WK127")]


def test_read_workspace_keeps_path_problems_apart(folder: Path) -> None:
    write(folder, "ok.yaml")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    ws = read_workspace([folder], jobs=1)
    assert [d.code for d in ws.unreadable] == ["WK127"]
    assert [Path(d.name).name for d in ws.documents] == ["ok.yaml"]


def test_an_unreadable_file_is_a_path_problem_in_the_workspace(folder: Path) -> None:
    drop = unprivileged()
    secret = write(folder, "secret.yaml")
    secret.chmod(0)
    script = (
        "import json, sys\n"
        "from workflowkit.source.workspace import read_workspace\n"
        "ws = read_workspace([sys.argv[1]], jobs=1)\n"
        "print(json.dumps([[d.code, d.message] for d in ws.unreadable]))\n"
        "print(len(ws.documents))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        preexec_fn=drop,
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert json.loads(out[0]) == [["WK100", "cannot read the file: Permission denied"]]
    assert out[1] == "0"
    assert stat.S_IMODE(secret.stat().st_mode) == 0
