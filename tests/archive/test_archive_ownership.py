"""One watcher per HOME (archive.ownership; issue #15 item 7: two watchers on one HOME logged
false "dubblett" events for files dropped once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench import procs
from samverkan.archive import ownership
from samverkan.archive.home import Home
from samverkan.archive.ownership import IntakeBusy, IntakeLock
from samverkan.archive.store import Archive
from samverkan.archive.watch import InboxWatcher
from samverkan.cli import cli
from samverkan.commands.common import ExitCode
from tests.archive.conftest import agreement_text, pdf_of


def test_a_second_claim_is_refused_naming_the_owner(settings: Home) -> None:
    with IntakeLock(settings):
        assert ownership.owner(settings) == os.getpid()
        with pytest.raises(IntakeBusy) as refused:
            IntakeLock(settings).acquire(retry_seconds=0)
        assert refused.value.pid == os.getpid()
        assert f"PID {os.getpid()}" in refused.value.reason
        assert "bevakas redan" in refused.value.reason
    assert ownership.owner(settings) is None
    IntakeLock(settings).acquire(retry_seconds=0)  # free again once released


def test_the_lock_of_a_killed_owner_does_not_block(settings: Home) -> None:
    code = ("import sys; from samverkan.archive.home import Home; "
            "from samverkan.archive.ownership import IntakeLock; "
            f"IntakeLock(Home(home=__import__('pathlib').Path({str(settings.home)!r}))).acquire();"
            " print('held', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        assert ownership.owner(settings) == holder.pid
        procs.kill_alone(holder)  # no chance to release or remove its PID file
    finally:
        holder.kill()
        holder.wait()
    assert (settings.runtime / ownership.PID_NAME).exists()
    assert ownership.owner(settings) is None
    with IntakeLock(settings):
        assert ownership.owner(settings) == os.getpid()


def test_a_second_watcher_does_not_start(settings: Home) -> None:
    archive = Archive(settings, recogniser=None)
    first, second = InboxWatcher(archive), InboxWatcher(Archive(settings, recogniser=None))
    first.start()
    try:
        with pytest.raises(IntakeBusy):
            second.start()
    finally:
        first.stop()
    second.start()  # the first one stopped: the inbox is free
    second.stop()
    assert ownership.owner(settings) is None


@pytest.fixture()
def cli_run(home: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_commands_while_another_process_watches(cli_run, home: Path,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    settings = Home(home=home)
    outside = tmp_path / "avtal.pdf"
    outside.write_bytes(pdf_of(agreement_text()))
    settings.inbox.mkdir(parents=True)
    dropped = settings.inbox / "inkommen.pdf"
    dropped.write_bytes(pdf_of(agreement_text(municipality="Borås")))
    with IntakeLock(settings):  # stands for a running `samverkan watch` (flock is per open file)
        for command in (["watch", "--once"], ["serve", "--port", str(procs.free_port())]):
            code, _out, err = cli_run(*command)
            assert code == ExitCode.storage, (command, err)
            assert f"Fel: inkorgen i {home} bevakas redan av processen med PID {os.getpid()}" \
                in err, err
        code, _out, err = cli_run("file", str(dropped))
        assert code == ExitCode.storage, err
        assert f"ligger i inkorgen, som bevakas av processen med PID {os.getpid()}" in err
        assert "Inget arkiverades" in err and dropped.exists()
        code, out, err = cli_run("file", str(outside), "--json")  # one-off filing works
        assert code == ExitCode.ok, err
        agreement_id = json_of(out)[0]["agreement_id"]
        for command in (["list"], ["show", agreement_id], ["fsck", "--archive-only"]):
            code, _out, err = cli_run(*command)
            assert code == ExitCode.ok, (command, err)
    code, _out, err = cli_run("watch", "--once")
    assert code == ExitCode.ok, err
    assert not dropped.exists()


def json_of(text: str) -> list[dict]:
    import json

    return json.loads(text)


@pytest.mark.slow
def test_two_real_watchers_and_a_kill(home: Path) -> None:
    """Two `samverkan watch` on one HOME: the second refuses, naming the first's PID; after
    a SIGKILL of the first, the next one starts; every file is filed once, no duplicates."""
    settings = Home(home=home)
    settings.inbox.mkdir(parents=True)
    env = procs.cli_env(SAMVERKAN_QUIET_SECONDS="0.1")
    first = procs.start_cli(home, "watch", env=env)
    try:
        procs.wait_until(lambda: ownership.owner(settings) == first.pid, 60,
                         what="the first watcher to own the inbox")
        second = procs.run_cli(home, "watch", env=env, timeout=120)
        assert second.returncode == ExitCode.storage, second.stderr
        assert f"bevakas redan av processen med PID {first.pid}" in second.stderr
        for index in range(3):
            (settings.inbox / f"avtal-{index}.pdf").write_bytes(
                pdf_of(agreement_text(municipality="Mark", period=f"20{20 + index}–2030")))
        procs.wait_until(lambda: not any(settings.inbox.iterdir()), 120, 0.1,
                         "the inbox to empty")
        assert not procs.wait_tree_gone(procs.kill_alone(first))
    finally:
        procs.stop(first)
    after = procs.start_cli(home, "watch", env=env)
    try:
        procs.wait_until(lambda: ownership.owner(settings) == after.pid, 60,
                         what="a watcher to start after the kill")
    finally:
        procs.stop(after)
    events = [entry["event"] for entry in Archive(settings, recogniser=None).audit_entries()]
    assert events.count("filed") == 3 and "duplicate" not in events, events
