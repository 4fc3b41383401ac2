"""User-item benchmark: training speed and ranking quality on a MovieLens-100k-like stand-in.

The real log the targets refer to (MovieLens 100k) cannot be downloaded here, so this script draws
a synthetic stand-in of the same shape and statistics with :func:`explorer.samples.interactions.
simulate_log`: 943 users x 1682 items, 100,000 interactions, every user with >= 20, a log-normal
popularity with a long tail, latent tastes mixed from 19 genres plus individual noise, taste drift
over seven months of timestamps. The generator's taste strength was calibrated so that the
most-popular baseline scores HR@10 ~ 0.41 under the target protocol (leave-latest-out, all ratings
positive, 99 sampled negatives), as it does on the real log.

    python bench/bench_useritem.py              # speed + quality with the defaults
    python bench/bench_useritem.py --sweep      # plus one-at-a-time changes around the defaults
    python bench/bench_useritem.py --seeds 3    # quality on 3 stand-ins (generator seeds 0..2)

Speed: the whole ``train useritem`` job (read the file, split, train 20 epochs with per-epoch
validation, final evaluation under both protocols, write the run) through
``explorer.training.run_training``, and once more as a ``python -m explorer`` subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.configs import to_dict  # noqa: E402
from explorer.kinds import UserItemConfig  # noqa: E402
from explorer.recsys.interactions import from_arrays, read_interactions  # noqa: E402
from explorer.recsys.ranking import evaluate_all  # noqa: E402
from explorer.samples.interactions import simulate_log  # noqa: E402
from explorer.training import run_training  # noqa: E402
from explorer.training.useritem import fit, prepare  # noqa: E402

# The stand-in's generator settings (calibrated: popularity HR@10 ~ 0.41, see the docstring).
STANDIN = dict(latent_dim=32, genre_weight=0.6, taste_strength=16.0, pop_sigma=2.2, min_per_user=20, max_per_user=737,
               activity_sigma=1.1, late_share=0.3, drift=0.5, order_noise=0.3)


def standin(seed: int = 0):
    """(SimulatedLog, Interactions) of the MovieLens-100k-like stand-in."""
    sim = simulate_log(943, 1682, 100_000, 19, seed=seed, **STANDIN)
    inter = from_arrays(sim.users + 1, sim.items + 1, sim.timestamps, ratings=sim.ratings)
    return sim, inter


def write_udata(sim, path: Path) -> None:
    """Write the stand-in as MovieLens ``u.data``: tab-separated user item rating timestamp, no header."""
    order = np.lexsort((sim.timestamps, sim.users))
    with open(path, "w", encoding="ascii") as fh:
        for u, i, r, t in zip(sim.users[order] + 1, sim.items[order] + 1, sim.ratings[order],
                              sim.timestamps[order].astype(np.int64), strict=True):
            fh.write(f"{u}\t{i}\t{r}\t{t}\n")


def stats(inter) -> dict:
    counts = np.bincount(inter.items, minlength=inter.n_items)
    per_user = np.bincount(inter.users, minlength=inter.n_users)
    return {"users": inter.n_users, "items": inter.n_items, "interactions": len(inter),
            "item count max/median/ones": f"{counts.max()}/{np.median(counts):.0f}/{(counts == 1).sum()}",
            "per user min/median/mean/max": f"{per_user.min()}/{np.median(per_user):.0f}/"
                                            f"{per_user.mean():.0f}/{per_user.max()}"}


def quality(inter, cfg: UserItemConfig, pre=None) -> tuple[dict, float]:
    split, validation, test = pre or prepare(inter, cfg.seed)
    t = time.perf_counter()
    r = fit(inter, split, cfg, validation=None)
    seconds = time.perf_counter() - t
    return evaluate_all(r.users, r.items, r.item_bias, inter, split, test), seconds


def row(name: str, res: dict, seconds: float | None = None) -> str:
    s, f = res["sampled"], res["full"]
    cells = [name, f"{s['model']['HR@10']:.3f}", f"{s['model']['NDCG@10']:.3f}", f"{f['model']['HR@10']:.3f}",
             f"{f['model']['NDCG@10']:.3f}", f"{s['popularity']['HR@10']:.3f}", f"{s['popularity']['NDCG@10']:.3f}"]
    if seconds is not None:
        cells.append(f"{seconds:.1f}")
    return "| " + " | ".join(cells) + " |"


HEADER = ("| setting | HR@10 (99 neg) | NDCG@10 (99 neg) | HR@10 (full) | NDCG@10 (full) | popularity HR@10 (99 neg) "
          "| popularity NDCG@10 (99 neg) | fit s |\n|---|---|---|---|---|---|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sweep", action="store_true", help="one-at-a-time hyperparameter changes")
    ap.add_argument("--seeds", type=int, default=1, help="stand-ins (generator seeds) for the defaults")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()}, "
          f"python {platform.python_version()}, date {time.strftime('%Y-%m-%d %H:%M')}")
    defaults = UserItemConfig()
    print("defaults:", json.dumps(to_dict(defaults)))
    sim, inter = standin(0)
    print("stand-in:", stats(inter))

    if not args.no_speed:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "u.data"
            write_udata(sim, path)
            parsed = read_interactions(path)
            assert len(parsed) == 100_000 and parsed.n_users == 943 and parsed.n_items == 1682, stats(parsed)
            spec = {"kind": "useritem", "name": "u.data",
                    "data": {"interactions": str(path), "items": None, "columns": {}},
                    "config": to_dict(defaults)}
            t = time.perf_counter()
            run_training(spec, Path(tmp) / "run")
            whole = time.perf_counter() - t
            metrics = json.loads((Path(tmp) / "run" / "metrics.json").read_text())
            print(f"\nspeed, whole job in process (read + split + 20 epochs + per-epoch validation + final "
                  f"evaluation + write): {whole:.1f} s; training loop {metrics['train_seconds']:.1f} s, "
                  f"{metrics['interactions_per_second']:,.0f} positives/s")
            env = dict(os.environ, EXPLORER_NO_PROGRESS="1", PYTHONPATH=str(ROOT))
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "explorer", "train", "useritem", "--interactions", str(path),
                            "--out", str(Path(tmp) / "run-cli")], check=True, env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            cli = time.perf_counter() - t
            print(f"speed, `python -m explorer train useritem --interactions u.data` subprocess: {cli:.1f} s")
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "explorer", "evaluate", str(Path(tmp) / "run-cli")],
                                 check=True, env=env, cwd=ROOT, capture_output=True, text=True).stdout
            print(f"`python -m explorer evaluate`: {time.perf_counter() - t:.1f} s")
            ev = json.loads(out)
            print("test (from the run directory):", json.dumps({p: {m: {k: round(v, 4) for k, v in ev["test"][p][m].items()
                                                                      if k.startswith(("HR", "NDCG"))}
                                                                  for m in ("model", "popularity")}
                                                              for p in ("sampled", "full")}))

    print("\nquality with the defaults (test split):\n")
    print(HEADER)
    results = []
    for seed in range(args.seeds):
        if seed:
            _, inter = standin(seed)
        res, sec = quality(inter, defaults)
        results.append(res)
        print(row(f"defaults, stand-in seed {seed}", res, sec), flush=True)
    if args.seeds > 1:
        hr = [r["sampled"]["model"]["HR@10"] for r in results]
        nd = [r["sampled"]["model"]["NDCG@10"] for r in results]
        print(f"\nmean over {args.seeds} stand-ins: HR@10 {np.mean(hr):.3f} (min {min(hr):.3f}), "
              f"NDCG@10 {np.mean(nd):.3f} (min {min(nd):.3f})")

    if args.sweep:
        _, inter = standin(0)
        pre = prepare(inter, defaults.seed)
        changes = [
            {"loss": "bpr"}, {"loss": "bpr", "weight_decay": 0.0}, {"weight_decay": 0.0}, {"weight_decay": 3e-4},
            {"weight_decay": 3e-3}, {"weight_decay": 1e-2}, {"lr": 0.003}, {"lr": 0.03}, {"negatives": 1},
            {"negatives": 8}, {"negatives": 8, "weight_decay": 3e-3}, {"negatives": 8, "batch_size": 2048, "lr": 0.02},
            {"neg_sampling": "popularity"}, {"dim": 16}, {"dim": 64}, {"epochs": 10},
            {"epochs": 40}, {"batch_size": 256}, {"batch_size": 4096}, {"seed": 1},
        ]
        print("\nsweep: one change at a time from the defaults, stand-in seed 0\n")
        print(HEADER)
        for change in changes:
            res, sec = quality(inter, replace(defaults, **change), pre)
            print(row(", ".join(f"{k}={v}" for k, v in change.items()), res, sec), flush=True)


if __name__ == "__main__":
    main()
