"""The wheel on its own: built from the checkout and installed into a fresh venv outside it,
`samverkan` drafts, files, searches and serves with nothing but what the wheel ships.

The new venv gets the project's third-party packages through a .pth file naming this
interpreter's site-packages (a plain path line: Python appends it to sys.path and does not run
the .pth files inside it, so the editable install's finder, and with it the checkout, stays
out). The wheel itself is installed with --no-deps before that .pth exists.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests.web.service_process import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# Generated or local-only folders a build does not need (and must not be fed stale copies of).
NOT_COPIED = shutil.ignore_patterns(".venv", "var", "build", "dist", ".git", "*.egg-info",
                                    "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                                    ".hypothesis", "out")
# Package data: folder in the checkout, files in it, where the wheel must carry them.
PACKAGE_DATA = [
    ("templates", "*.docx", "samverkan/templates"),
    ("examples", "*.yaml", "samverkan/examples"),
    ("samverkan/web/templates", "*.html", "samverkan/web/templates"),
    ("samverkan/web/static", "*", "samverkan/web/static"),
    ("docgen/data", "*.csv", "samverkan/docgen/data"),
    ("reader/data", "*.csv", "samverkan/reader/data"),
    ("docgen", "*.html", "samverkan/docgen"),
]
EXAMPLE = "mark-2022-2024"
SEARCHED = "SSPF"  # a word of EXAMPLE's commitments
PROBE = """
import importlib, json, os
import samverkan
from samverkan.archive.recognise import default_recogniser
from samverkan.docgen.templates import template_dir
from samverkan.examples import example_files

def importable(name):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        return False
    return True

print(json.dumps({
    "cwd": os.getcwd(),
    "samverkan": samverkan.__file__,
    "checkout_names": {name: importable(name) for name in
                       ("archive", "docgen", "index", "reader", "templates", "examples")},
    "templates": str(template_dir()),
    "examples": {name: str(path) for name, path in example_files().items()},
    "recogniser": default_recogniser()(
        ["Samverkansöverenskommelse mellan Marks kommun och lokalpolisområde Borås"]).error,
}))
"""


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
        input_text: str | None = None, timeout: float = 300) -> str:
    """stdout of a command that must succeed; its output is in the failure message."""
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, input=input_text,
                            capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, (f"{command} failed ({result.returncode}):\n"
                                    f"{result.stdout}\n{result.stderr}")
    return result.stdout


def build_wheel(tmp_path: Path) -> Path:
    """The wheel of a copy of the checkout (the build writes build/ and *.egg-info beside the
    sources, which must neither land in the checkout nor leak stale files into the wheel)."""
    missing = []
    for name, wanted in (("setuptools", 77), ("wheel", 0)):
        try:
            if int(metadata.version(name).split(".")[0]) < wanted:
                missing.append(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        pytest.fail(f"{', '.join(missing)} missing or too old for building the wheel: "
                    f"{sys.executable} -m pip install -e '{REPO}[test,bench]'")
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_COPIED)
    wheelhouse = tmp_path / "wheelhouse"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", wheelhouse, source], cwd=tmp_path)
    wheels = list(wheelhouse.glob("samverkan-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def check_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    top_level = {name.split("/")[0] for name in names}
    dist_info = {name for name in top_level if name.endswith(".dist-info")}
    assert len(dist_info) == 1 and top_level - dist_info == {"samverkan"}, sorted(top_level)
    for folder, pattern, inside in PACKAGE_DATA:
        shipped = sorted(path.name for path in (REPO / folder).glob(pattern) if path.is_file())
        assert shipped, f"nothing matches {folder}/{pattern} in the checkout"
        absent = [name for name in shipped if f"{inside}/{name}" not in names]
        assert not absent, f"not in the wheel under {inside}/: {absent}"


def make_venv(tmp_path: Path, wheel: Path) -> Path:
    """A venv in tmp_path with the wheel installed and the project's dependencies visible."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "-q", wheel], cwd=tmp_path)
    own = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=tmp_path).strip())
    (own / "_samverkan_test_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv


def clean_env(tmp_path: Path, venv: Path) -> dict[str, str]:
    """The environment with a HOME in tmp_path and nothing pointing into the checkout."""
    user_home = tmp_path / "user"
    user_home.mkdir()
    keep_samverkan = {"SAMVERKAN_SOFFICE", "SAMVERKAN_UNO_PYTHON"}  # where tools are installed
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "XDG_", "VIRTUAL_ENV"))
           and (not key.startswith("SAMVERKAN_") or key in keep_samverkan)}
    ours = str(Path(sys.executable).parent)
    path = [entry for entry in env.get("PATH", os.defpath).split(os.pathsep) if entry != ours]
    env.update(HOME=str(user_home), SAMVERKAN_HOME=str(tmp_path / "home"),
               PATH=os.pathsep.join([str(venv / "bin"), *path]))
    return env


def get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def serve_and_check(samverkan: Path, tmp_path: Path, env: dict[str, str], token: str,
                    templates: set[str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w+b") as log:
        process = subprocess.Popen([str(samverkan), "serve", "--host", "127.0.0.1", "--port",
                                    str(port), "--no-watch"], cwd=tmp_path, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)

        def output() -> str:
            log.flush()
            return log_path.read_text(encoding="utf-8", errors="replace")

        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    status, body = get(base + "/logga-in")
                    break
                except urllib.error.HTTPError:
                    raise  # it answered, wrongly
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    assert process.poll() is None, f"serve stopped:\n{output()}"
                    assert time.monotonic() < deadline, f"serve did not answer:\n{output()}"
                    time.sleep(0.3)
            assert status == 200 and "Logga in" in body  # a web template
            status, body = get(base + "/static/style.css")  # static files
            assert status == 200 and body.strip()
            status, body = get(base + "/api/templates", token)  # the .docx templates
            assert status == 200
            assert {entry["name"] for entry in json.loads(body)} == templates
            status, body = get(f"{base}/utkast?exempel={EXAMPLE}", token)  # the examples
            assert status == 200 and "Marks kommun" in body
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"serve did not stop on SIGTERM:\n{output()}") from None
        assert code == 0, f"serve ended with {code}:\n{output()}"


def test_wheel_installed_outside_the_checkout(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    check_contents(wheel)
    venv = make_venv(tmp_path, wheel)
    env = clean_env(tmp_path, venv)
    python, samverkan = venv / "bin" / "python", venv / "bin" / "samverkan"

    probe = json.loads(run([python, "-c", PROBE], cwd=tmp_path, env=env))
    assert Path(probe["cwd"]) == tmp_path
    assert Path(probe["samverkan"]).is_relative_to(venv), probe["samverkan"]
    assert not any(probe["checkout_names"].values()), probe["checkout_names"]
    assert Path(probe["templates"]).is_relative_to(venv), probe["templates"]
    assert EXAMPLE in probe["examples"]
    example = Path(probe["examples"][EXAMPLE])
    assert example.is_relative_to(venv), example
    assert probe["recogniser"] is None, f"the installed reader failed: {probe['recogniser']}"

    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert version["project"]["version"] in run([samverkan, "--version"], cwd=tmp_path, env=env)

    with_pdf = shutil.which(env.get("SAMVERKAN_SOFFICE", "soffice"), path=env["PATH"]) is not None
    drafted = json.loads(run([samverkan, "draft", example, "--out", tmp_path / "out", "--json",
                              "--pdf" if with_pdf else "--no-pdf"], cwd=tmp_path, env=env))
    files = [Path(name) for name in drafted["files"]]
    assert sorted(path.suffix for path in files) == ([".docx", ".pdf"] if with_pdf else [".docx"])
    assert all(path.is_file() and path.stat().st_size > 0 for path in files)
    docx = next(path for path in files if path.suffix == ".docx")

    filed = json.loads(run([samverkan, "file", docx, "--json"], cwd=tmp_path, env=env))
    assert [(item["status"], item["agreement_id"]) for item in filed] == [
        ("new", drafted["agreement_id"])]

    found = json.loads(run([samverkan, "search", SEARCHED, "--json"], cwd=tmp_path, env=env))
    assert found["total"] >= 1
    assert {hit["agreement_id"] for hit in found["hits"]} == {drafted["agreement_id"]}

    run([samverkan, "user", "add", "provare", "--role", "samordnare", "--password-stdin"],
        cwd=tmp_path, env=env, input_text="ett-langt-losenord-for-test\n")
    token = run([samverkan, "user", "token", "provare"], cwd=tmp_path, env=env).strip()
    templates = {path.stem for path in (REPO / "templates").glob("*.docx")}
    serve_and_check(samverkan, tmp_path, env, token, templates)
