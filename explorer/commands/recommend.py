"""``recommend DIR USER [-k 10]`` and ``evaluate DIR``: JSON on stdout from a user-item run (``evaluate`` of a run of
documents: label prediction beside the TF-IDF baseline, clusters against labels, rated pairs)."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from explorer.errors import ExplorerError
from explorer.runs import Run, load_run


def _json_safe(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def _evaluate_documents(run: Run, args: argparse.Namespace) -> dict:
    from explorer.documents.evaluation import evaluate_documents, read_doc_pairs

    if isinstance(args.folds, bool) or args.folds < 2:
        raise ExplorerError(f"--folds: expected a whole number of at least 2, got {args.folds}", code="param_min",
                            name="folds", min=2, value=args.folds)
    pairs = read_doc_pairs(Path(args.pairs)) if args.pairs else None
    docs = run.documents
    out = evaluate_documents(np.asarray(run.vectors), docs.ids, docs.labels, docs.texts, pairs=pairs,
                             pairs_source=Path(args.pairs).name if args.pairs else "pairs", folds=args.folds,
                             seed=args.seed)
    return {"run": str(run.path)} | out


def run(args: argparse.Namespace) -> int:
    run_dir = load_run(Path(args.run_dir))
    if args.command == "evaluate" and run_dir.capabilities.documents:
        out = _evaluate_documents(run_dir, args)
    elif args.command == "evaluate":
        from explorer.recsys.evaluation import evaluate_run

        if args.pairs:
            raise ExplorerError(f"--pairs: rated pairs are for runs of documents; {args.run_dir} is not one",
                                code="evaluate_pairs_not_documents", path=str(args.run_dir))
        out = evaluate_run(run_dir)
    else:
        from explorer.recsys.recommend import recommend

        recs = recommend(run_dir, args.user, args.k)
        titles = run_dir.item_titles
        row = {item: n for n, item in enumerate(run_dir.item_ids)} if titles else {}

        def because(item: str, similarity: float) -> dict:
            return {"item": item, "similarity": similarity} | ({"title": titles[row[item]]} if titles else {})

        out = {"user": args.user, "k": args.k, "score": "users[u] @ items[i] + item_bias[i]",
               "recommendations": [r | {"because": [because(i, s) for i, s in r["because"]]} for r in recs]}
    print(json.dumps(_json_safe(out), indent=2, ensure_ascii=False))
    return 0
