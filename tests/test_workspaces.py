"""Workspaces: tokens, per-workspace runs, deletion only within one's own, the class gallery, uploads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.jobs import workspaces
from tests.support.runs import new_run_path, words_run


def test_tokens_are_unguessable_and_strictly_validated() -> None:
    tokens = {workspaces.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(workspaces.is_valid_token(t) and len(t) == 22 for t in tokens)
    for bad in ["", "../../etc/passwd", "a" * 21, "a" * 23, "a" * 21 + "/", "a" * 21 + ".", "ä" * 22,
                "a" * 21 + "\n", None, 12345, b"a" * 22]:
        assert not workspaces.is_valid_token(bad), bad
    with pytest.raises(ExplorerError, match="invalid workspace token"):
        workspaces.runs_dir("../" + "a" * 19)


def test_runs_dir_lives_under_the_data_home(explorer_home: Path) -> None:
    token = workspaces.new_token()
    path = workspaces.runs_dir(token)
    assert path == explorer_home / "workspaces" / token / "runs" and path.is_dir()


def test_run_ids_are_generated_and_validated() -> None:
    ids = [workspaces.new_run_id() for _ in range(50)]
    assert len(set(ids)) == 50 and all(workspaces.is_valid_run_id(i) for i in ids)
    for bad in ["..", "../x", "20250101-120000-abcd", "20250101-120000-ABCDEF12", "x" * 24, ""]:
        assert not workspaces.is_valid_run_id(bad)


def test_list_and_delete_only_within_the_own_workspace(explorer_home: Path) -> None:
    alice, bob = workspaces.new_token(), workspaces.new_token()
    first = words_run(new_run_path(alice), ["x", "y"], np.ones((2, 3)), name="first").name
    assert [r.run_id for r in workspaces.list_runs(alice)] == [first]
    assert workspaces.list_runs(bob) == []
    with pytest.raises(ExplorerError, match="not found in this workspace"):
        workspaces.delete_run(bob, first)
    with pytest.raises(ExplorerError, match="not a valid run id"):
        workspaces.delete_run(bob, f"../../{alice}/runs/{first}")
    assert [r.run_id for r in workspaces.list_runs(alice)] == [first]
    workspaces.delete_run(alice, first)
    assert workspaces.list_runs(alice) == []


def test_gallery_is_shared_and_read_only(explorer_home: Path) -> None:
    teacher, student = workspaces.new_token(), workspaces.new_token()
    run_id = words_run(new_run_path(teacher), ["x", "y"], np.ones((2, 3)), name="class demo").name
    assert workspaces.gallery_runs() == []
    workspaces.publish(teacher, run_id)
    workspaces.publish(teacher, run_id)  # idempotent
    (shared,) = workspaces.gallery_runs()
    assert shared.run_id == run_id and shared.name == "class demo"
    assert shared.path.parent == workspaces.gallery_dir()
    assert teacher not in "".join(p.read_text(errors="ignore") for p in workspaces.gallery_dir().rglob("*") if p.is_file())
    with pytest.raises(ExplorerError, match="not found in this workspace"):
        workspaces.publish(student, run_id)  # only one's own runs
    with pytest.raises(ExplorerError, match="another workspace"):
        workspaces.unpublish(student, run_id)
    workspaces.delete_run(teacher, run_id)  # the gallery keeps its own copy
    assert [r.run_id for r in workspaces.gallery_runs()] == [run_id]
    workspaces.unpublish(teacher, run_id)
    assert workspaces.gallery_runs() == []


def test_partial_runs_are_removed(explorer_home: Path) -> None:
    token = workspaces.new_token()
    run_id = workspaces.new_run_id()
    root = workspaces.runs_dir(token)
    (root / f".{run_id}.tmp-1234abcd").mkdir()
    (root / f".{run_id}.tmp-1234abcd" / "vectors.npy").write_bytes(b"half")
    keep = words_run(new_run_path(token), ["x", "y"], np.ones((2, 3)), name="demo").name
    assert workspaces.remove_partial_runs(token, run_id) == 1
    assert [p.name for p in root.iterdir()] == [keep]


def test_save_upload_is_content_addressed(explorer_home: Path) -> None:
    data = "猫 dog\n".encode() * 10
    path = workspaces.save_upload(data, ".TXT")
    assert path == explorer_home / "uploads" / (hashlib.sha256(data).hexdigest() + ".txt")
    assert path.read_bytes() == data
    assert workspaces.save_upload(data, ".txt") == path  # same bytes, same file
    assert [p.name for p in workspaces.uploads_dir().iterdir()] == [path.name]  # no temporary files left


@pytest.mark.parametrize("suffix", [".py", ".pkl", ".pt", "/../x", ".txt/../../a", ""])
def test_save_upload_refuses_other_suffixes(explorer_home: Path, suffix: str) -> None:
    with pytest.raises(ExplorerError, match="not accepted"):  # binary bytes: the suffix decides, and refuses
        workspaces.save_upload(bytes(range(256)), suffix)
    if suffix in (".pkl", ".pt"):  # a binary format's suffix is never read as text
        with pytest.raises(ExplorerError, match="not accepted"):
            workspaces.save_upload(b"x", suffix)
        return
    saved = workspaces.save_upload(b"x", suffix)  # text: read by its content, saved as .txt (never the given suffix)
    assert saved.suffix == ".txt" and saved.parent == workspaces.uploads_dir()


def test_save_upload_enforces_the_size_limit(explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_MAX_UPLOAD_MB", "0.001")  # 1048 bytes
    workspaces.save_upload(b"a" * 1000, ".csv")
    with pytest.raises(ExplorerError, match="above the limit"):
        workspaces.save_upload(b"a" * 2000, ".csv")
    with pytest.raises(ExplorerError, match="empty"):
        workspaces.save_upload(b"", ".csv")


def test_upload_limit_defaults_to_the_streamlit_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    monkeypatch.delenv("EXPLORER_MAX_UPLOAD_MB", raising=False)
    config = Path(workspaces.__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    expected = workspaces.DEFAULT_MAX_UPLOAD_MB
    if config.is_file():
        expected = tomllib.loads(config.read_text()).get("server", {}).get("maxUploadSize", expected)
    assert workspaces.max_upload_bytes() == int(expected * 2**20)


def test_cli_workspace_is_created_once(explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPLORER_WORKSPACE", raising=False)
    first = workspaces.cli_workspace()
    assert workspaces.is_valid_token(first) and workspaces.cli_workspace() == first
    assert (explorer_home / "cli_workspace").read_text().strip() == first
    other = workspaces.new_token()
    monkeypatch.setenv("EXPLORER_WORKSPACE", other)
    assert workspaces.cli_workspace() == other
    monkeypatch.setenv("EXPLORER_WORKSPACE", "not a token")
    with pytest.raises(ExplorerError, match="EXPLORER_WORKSPACE"):
        workspaces.cli_workspace()
