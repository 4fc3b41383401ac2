"""The sentence-encoder kind's runner: read the documents, encode them with a pretrained encoder
(:mod:`explorer.encoders`), write the run directory (``doc_vectors.npy``, ``docs.tsv``, ``config.json``,
``metrics.json``).

Progress is reported after every batch of the encoder (batches are sized to take about half a second,
so progress comes at least every 2 s and a cancel stops the job within 2 s); the run directory is
written only once every document is encoded (a cancel, a failure or a server that answers garbage
leaves nothing behind).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from explorer.progress import Progress, ProgressCallback


def encode_run(spec: Any, out_dir: Path, callback: ProgressCallback) -> Path:
    from explorer.configs import to_dict
    from explorer.documents import documents_metrics, documents_record, read_data_documents, write_documents
    from explorer.encoders import make_encoder
    from explorer.runs import atomic_run_dir, check_out_dir, write_config, write_json

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    path, docs = read_data_documents(data)
    callback(Progress(stage="read", progress=0.0, message=docs.summary()))
    begun = time.perf_counter()
    encoder = make_encoder(config.encoder)
    encoder.load()
    start = time.perf_counter()
    n = len(docs.texts)

    def on_batch(done: int, total: int) -> bool:
        seconds = time.perf_counter() - start
        rate = done / seconds if seconds > 0 else None
        eta = (total - done) / rate if rate else None
        return bool(callback(Progress(stage="train", progress=done / max(total, 1), epoch=1, epochs=1, rate=rate,
                                      eta_s=eta, message=f"{done}/{total} documents")))

    vectors = encoder.encode(docs.texts, kind="passage", batch=config.batch, callback=on_batch)
    seconds = time.perf_counter() - start
    info: dict[str, Any] = {"encoder": encoder.name, "dim": int(vectors.shape[1])}
    if encoder.name == "e5":
        from explorer.encoders.e5 import MODEL_NAME

        info.update(model=MODEL_NAME, threads=getattr(encoder, "threads", None))
    else:
        info.update(model=getattr(encoder, "model", ""), url=getattr(encoder, "url", ""))
    with atomic_run_dir(out_dir) as tmp:
        write_documents(tmp, docs, vectors)
        write_config(tmp, spec.kind, config=to_dict(config), name=spec.name, data=documents_record(path, docs))
        write_json(tmp / "metrics.json", {
            "seconds": time.perf_counter() - begun, "encode_seconds": seconds, "load_seconds": start - begun,
            "documents_per_s": n / seconds if seconds > 0 else None, **documents_metrics(docs),
            "device": "cpu", "backend": encoder.name, **info})
    return out_dir
