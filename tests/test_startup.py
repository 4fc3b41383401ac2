"""explorer.startup: the garbage collector is paused while long-lived objects are made, and they are frozen out of
its reach only in a process that runs one command (the command line), never in the worker, the app or a library
user's process."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from explorer import startup


@pytest.fixture
def collector():
    """The collector's state and the one-command mark as they were, and nothing left frozen by a test."""
    was_enabled, was_marked = gc.isenabled(), startup._one_command
    frozen = gc.get_freeze_count()
    yield
    gc.unfreeze()  # (the suite's process freezes nothing of its own: explorer.__main__ is not imported)
    assert frozen == 0
    startup.one_command(was_marked)
    (gc.enable if was_enabled else gc.disable)()


def test_the_collector_is_paused_inside_and_left_as_it_was_found(collector) -> None:
    gc.enable()
    with startup.long_lived():
        assert not gc.isenabled()
        with startup.long_lived():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not turn it back on early
    assert gc.isenabled()
    gc.disable()
    with startup.long_lived():
        pass
    assert not gc.isenabled()  # a collector someone turned off stays off


def test_an_error_inside_still_turns_the_collector_back_on(collector) -> None:
    gc.enable()
    with pytest.raises(ValueError), startup.long_lived(freeze=True):
        raise ValueError("boom")
    assert gc.isenabled()


def test_objects_are_frozen_only_in_a_one_command_process(collector) -> None:
    gc.enable()
    startup.one_command(False)  # the worker, the app, a library user
    with startup.long_lived(freeze=True):
        made = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0
    startup.one_command()  # the command line
    with startup.long_lived(freeze=True):
        made.append([0])
    assert gc.get_freeze_count() >= len(made)
    startup.one_command(False)
    assert startup._one_command is False


def test_the_command_line_marks_its_process_and_freezes_what_its_command_imported(tmp_path) -> None:
    code = ("import runpy, sys; sys.argv = ['explorer'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('explorer', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "from explorer import startup; import gc; print(startup._one_command, gc.get_freeze_count() > 0)")
    run = subprocess.run([sys.executable, "-c", code, "sample", "--out", str(tmp_path / "s")], capture_output=True,
                         text=True, env={**os.environ, "EXPLORER_HOME": str(tmp_path / "home")}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "True True"
    assert (tmp_path / "s").is_dir()
