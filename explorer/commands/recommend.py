"""``recommend DIR USER [-k 10]`` and ``evaluate DIR``: JSON on stdout from a user-item run."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from explorer.runs import load_run


def _json_safe(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def run(args: argparse.Namespace) -> int:
    run_dir = load_run(Path(args.run_dir))
    if args.command == "evaluate":
        from explorer.recsys.evaluation import evaluate_run

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
