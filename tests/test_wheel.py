"""The wheel carries the built-in templates and schemas: build it, install it into a
fresh virtual environment, and load every built-in from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent


def shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder every xdist worker of this run shares (this run's, not the next one's)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK -> pytest-N, the same for every worker
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's environment, made once per run: under xdist the first worker to get
    the lock builds it, the others wait and use it."""
    work = shared_dir(tmp_path_factory, "wheel")
    with FileLock(str(work / "build.lock")):
        py = work / "venv" / "bin" / "python"
        if not (work / "ready").exists():
            _build_and_install(work)
            (work / "ready").write_text("ok\n", encoding="utf-8")
    return py


def _build_and_install(work: Path) -> Path:
    dist = work / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stdout[-2000:]}\n{build.stderr[-2000:]}")
    (wheel,) = dist.glob("workflowkit-*.whl")
    env = work / "venv"
    # A fresh environment with no system site-packages: the base interpreter's packages
    # are not the project's (on a clean machine it has none). The dependencies come from
    # the environment running the tests, as plain path lines in a .pth file: a path line
    # does not process that folder's own .pth files, so the checkout's editable install
    # stays out, and workflowkit itself comes only from the wheel, which the test checks.
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env)
    py = env / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (Path(purelib) / "_running_env_dependencies.pth").write_text(
        "".join(f"{p}\n" for p in borrowed), encoding="utf-8"
    )
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return py


def test_builtins_and_schemas_load_from_the_installed_wheel(installed: Path) -> None:
    script = """
import json, sys, workflowkit
from workflowkit.templates import TemplateRegistry, builtin_dir, builtin_documents
from workflowkit.source.schema import schemas_dir
registry = TemplateRegistry()
templates, libraries = builtin_documents()
print(json.dumps({
    "module": workflowkit.__file__,
    "builtin_dir": str(builtin_dir()),
    "schemas": sorted(p.name for p in schemas_dir().glob("*.json")),
    "templates": {t.id: len(registry.get(t.id).checks) for t in templates},
    "libraries": [lib.id for lib in libraries],
    "path": sys.path,
    "typed": (__import__("pathlib").Path(workflowkit.__file__).parent / "py.typed").exists(),
}))
"""
    out = subprocess.run(
        [str(installed), "-c", script], capture_output=True, text=True, cwd="/", check=True
    )
    info = json.loads(out.stdout)
    venv_root = str(installed.parent.parent)
    assert info["module"].startswith(venv_root), "workflowkit was not imported from the wheel"
    assert info["builtin_dir"].startswith(venv_root)
    assert "_builtin_templates" in info["builtin_dir"]
    assert str(ROOT / "src") not in info["path"], "the checkout's source is on the wheel's path"
    assert "WorkflowTemplate.schema.json" in info["schemas"]
    assert info["typed"] is True
    expected = {p.stem for p in (ROOT / "builtin_templates").glob("*.yaml")}
    assert set(info["templates"]) | set(info["libraries"]) >= {
        s for s in expected if s != "uk-practice-checks"
    } - {"uk-practice-checks"}
    assert all(n > 0 for n in info["templates"].values())


def test_console_script_and_module_entry_point(installed: Path) -> None:
    exe = installed.parent / "workflowkit"
    for cmd in ([str(exe), "templates"], [str(installed), "-m", "workflowkit", "templates"]):
        out = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
        assert out.returncode == 0, out.stderr
        assert "monthly-bookkeeping" in out.stdout


def test_no_environment_borrows_the_base_interpreter() -> None:
    """A venv with system site-packages sees the base interpreter's packages, which a clean
    machine does not have: nothing the tests or CI run may make one."""
    offenders = []
    for folder in ("tests", "benchmarks", ".ci"):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or path.suffix not in {"", ".py", ".sh"}:
                continue
            if path == Path(__file__):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in ("system_site_packages=True", "--system-site-packages"):
                if needle in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
