"""A generated user-item interaction log with planted taste groups (no downloads).

The generator (:func:`simulate_log`) draws

* items: a genre each, a unit taste vector near its genre's centre, and a log-popularity from a
  normal distribution (a long tail of rarely seen items);
* users: an activity level from a shifted log-normal (a few power users), a taste vector mixed
  from one or two favourite genres, and a second, drifted taste vector for their later activity;
* each user's items without replacement with probability proportional to
  ``exp(log_popularity + taste_strength * user . item)`` (Gumbel top-k, which also yields the
  order in which a sequential draw would have picked them). That order, blurred by noise, is the
  time order: early picks are the likely ones, later picks come from the drifted taste.
* ratings 1..5 from the affinity plus noise.

:func:`generate_interactions` is the bundled teaching sample (about 600 users, 400 items, 8 genres,
readable titles); the benchmark uses :func:`simulate_log` with MovieLens-100k-like sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

GENRES = ("Sci-Fi", "Comedy", "Drama", "Horror", "Romance", "Action", "Animation", "Documentary")

_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Sci-Fi": (("Quantum", "Silent", "Distant", "Final", "Red", "Hidden", "Frozen", "Binary"),
               ("Orbit", "Galaxy", "Android", "Nebula", "Signal", "Colony", "Starship", "Horizon")),
    "Comedy": (("Crazy", "Accidental", "Lucky", "Awkward", "Big", "Terrible", "Perfect", "Wild"),
               ("Wedding", "Roommate", "Vacation", "Neighbours", "Weekend", "Road Trip", "Reunion", "Party")),
    "Drama": (("Long", "Quiet", "Broken", "Last", "Empty", "Winter", "Bitter", "Golden"),
              ("Letter", "Harvest", "Promise", "River", "Silence", "Inheritance", "Season", "Farewell")),
    "Horror": (("Cursed", "Dark", "Haunted", "Bloody", "Hollow", "Crimson", "Sleepless", "Buried"),
               ("Cellar", "Woods", "Asylum", "Doll", "Lighthouse", "Ritual", "Shadows", "Manor")),
    "Romance": (("Paris", "Summer", "Secret", "Sweet", "Second", "Midnight", "Moonlit", "Tender"),
                ("Kiss", "Love", "Hearts", "Dance", "Affair", "Serenade", "Chance", "Embrace")),
    "Action": (("Maximum", "Deadly", "Rogue", "Iron", "Steel", "Rapid", "Lethal", "Silent"),
               ("Strike", "Pursuit", "Protocol", "Mission", "Vendetta", "Fury", "Rescue", "Showdown")),
    "Animation": (("Little", "Brave", "Magic", "Happy", "Tiny", "Flying", "Clever", "Sunny"),
                  ("Dragon", "Penguin", "Robot", "Kingdom", "Fox", "Balloon", "Toybox", "Meadow")),
    "Documentary": (("Inside", "Wild", "Hidden", "Lost", "Deep", "Frozen", "Untold", "Vanishing"),
                    ("Oceans", "Cities", "Planet", "Machines", "Empires", "Forests", "Deserts", "Voices")),
}


@dataclass
class SampleLog:
    """A generated log with its ground truth.

    interactions: columns ``user, item, rating, timestamp`` (one row per interaction)
    items:        columns ``item, title, genre``
    user_genre:   the planted favourite genre of each user (ground truth for user clusters)
    """

    interactions: pd.DataFrame
    items: pd.DataFrame
    user_genre: dict[str, str]


@dataclass
class SimulatedLog:
    """Arrays from :func:`simulate_log` (indices, not ids).

    users, items: int64 (n,); timestamps: float64 (n,) seconds; ratings: int64 (n,) in 1..5
    item_genre: int64 (n_items,); user_genre: int64 (n_users,) favourite genre
    item_vectors: float64 (n_items, latent_dim); item_logpop: float64 (n_items,)
    user_vectors, user_late_vectors: float64 (n_users, latent_dim) early and drifted tastes
    """

    users: np.ndarray
    items: np.ndarray
    timestamps: np.ndarray
    ratings: np.ndarray
    item_genre: np.ndarray
    user_genre: np.ndarray
    item_vectors: np.ndarray
    item_logpop: np.ndarray
    user_vectors: np.ndarray
    user_late_vectors: np.ndarray


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _activity(rng: np.random.Generator, n_users: int, n_interactions: int, min_per_user: int,
              sigma: float, cap: int) -> np.ndarray:
    """Interactions per user: min_per_user + log-normal excess, scaled to the total, capped."""
    excess = rng.lognormal(0.0, sigma, n_users)
    target = max(n_interactions - min_per_user * n_users, 0)
    counts = np.full(n_users, min_per_user, dtype=np.int64)
    for _ in range(20):  # rescale until the cap no longer bites
        scale = target / excess.sum()
        counts = np.minimum(min_per_user + np.floor(excess * scale).astype(np.int64), cap)
        short = n_interactions - counts.sum()
        if short <= 0:
            break
        free = counts < cap
        if not free.any():
            break
        excess = np.where(free, excess * 1.05, excess)
    short = int(n_interactions - counts.sum())
    if short > 0:  # hand out the remainder one by one to users below the cap
        free = np.flatnonzero(counts < cap)
        add = rng.choice(free, size=min(short, free.size), replace=False)
        counts[add] += 1
    return counts


def simulate_log(
    n_users: int,
    n_items: int,
    n_interactions: int,
    n_genres: int = 8,
    *,
    latent_dim: int = 16,
    genre_weight: float = 0.8,
    taste_strength: float = 4.0,
    pop_sigma: float = 1.0,
    min_per_user: int = 20,
    activity_sigma: float = 1.1,
    late_share: float = 0.3,
    drift: float = 0.5,
    order_noise: float = 0.3,
    max_per_user: int | None = None,
    balanced_genres: bool = False,
    days: float = 210.0,
    seed: int = 0,
) -> SimulatedLog:
    """Draw a log with planted structure (see the module docstring).

    genre_weight:   how much of an item's / user's taste vector comes from its genre (0..1)
    taste_strength: weight of user . item against log-popularity in the choice logits
    pop_sigma:      spread of item log-popularity (bigger: longer head, thinner tail)
    late_share:     share of each user's interactions drawn with the drifted taste
    drift:          size of the taste drift (noise added to the user's vector, then renormalised)
    order_noise:    blur of the time order relative to the draw order (0: exact draw order)
    max_per_user:   cap on one user's interactions (default: 60% of the items)
    """
    rng = np.random.default_rng(seed)
    g_w = float(np.clip(genre_weight, 0.0, 1.0))
    if balanced_genres:
        item_genre = np.arange(n_items) % n_genres
        rng.shuffle(item_genre)
    else:
        share = rng.dirichlet(np.full(n_genres, 2.0))
        item_genre = rng.choice(n_genres, size=n_items, p=share)
    centres = _unit(rng.normal(size=(n_genres, latent_dim)))
    item_vec = _unit(g_w * centres[item_genre] + np.sqrt(1 - g_w**2) * _unit(rng.normal(size=(n_items, latent_dim))))
    item_logpop = rng.normal(0.0, pop_sigma, n_items)

    counts = _activity(rng, n_users, n_interactions, min_per_user, activity_sigma, cap=max_per_user or int(0.6 * n_items))
    user_genre = rng.integers(0, n_genres, n_users)
    second = rng.integers(0, n_genres, n_users)
    mix = rng.uniform(0.0, 0.5, n_users) * (rng.random(n_users) < 0.5)  # half the users like two genres
    taste = (1 - mix)[:, None] * centres[user_genre] + mix[:, None] * centres[second]
    user_vec = _unit(g_w * _unit(taste) + np.sqrt(1 - g_w**2) * _unit(rng.normal(size=(n_users, latent_dim))))
    user_late = _unit(user_vec + drift * _unit(rng.normal(size=(n_users, latent_dim))))

    horizon = days * 86400.0
    us, its, ts, rs = [], [], [], []
    for u in range(n_users):
        n = int(counts[u])
        n_late = int(round(late_share * n))
        taken = np.zeros(n_items, dtype=bool)
        picks, affinity = [], []
        for vec, m in ((user_vec[u], n - n_late), (user_late[u], n_late)):
            if m <= 0:
                continue
            aff = item_vec @ vec
            keys = item_logpop + taste_strength * aff + rng.gumbel(size=n_items)
            keys[taken] = -np.inf
            top = np.argpartition(-keys, m - 1)[:m]
            top = top[np.argsort(-keys[top])]  # the order a sequential draw would pick them
            taken[top] = True
            picks.append(top)
            affinity.append(aff[top])
        items = np.concatenate(picks)
        aff = np.concatenate(affinity)
        position = np.arange(n) / max(n - 1, 1) + order_noise * rng.normal(size=n)
        order = np.argsort(position, kind="stable")
        start = rng.uniform(0, 0.85 * horizon)
        span = min(horizon - start, rng.exponential(0.25 * horizon))
        times = np.sort(start + rng.uniform(0, span, n)).round()
        rating = np.clip(np.round(3.4 + 1.6 * aff + rng.normal(0, 0.8, n)), 1, 5).astype(np.int64)
        us.append(np.full(n, u))
        its.append(items[order])
        ts.append(times)
        rs.append(rating[order])
    users, items = np.concatenate(us), np.concatenate(its)
    # every item in the catalogue is seen at least once (as in MovieLens): an item nobody drew
    # replaces a random earlier (non-final) interaction of a random user
    candidates = np.setdiff1d(np.arange(items.size), np.cumsum(counts) - 1)
    for _ in range(10):
        unseen = np.setdiff1d(np.arange(n_items), items)
        if unseen.size == 0:
            break
        items[rng.choice(candidates, size=unseen.size, replace=False)] = unseen
    return SimulatedLog(
        users=users, items=items, timestamps=np.concatenate(ts) + 880_000_000.0,
        ratings=np.concatenate(rs), item_genre=item_genre, user_genre=user_genre,
        item_vectors=item_vec, item_logpop=item_logpop, user_vectors=user_vec, user_late_vectors=user_late,
    )


def _titles(rng: np.random.Generator, item_genre: np.ndarray, genres: tuple[str, ...]) -> list[str]:
    seen: set[str] = set()
    titles = []
    for g in item_genre:
        adjectives, nouns = _WORDS[genres[g]]
        for attempt in range(100):
            title = f"The {adjectives[rng.integers(len(adjectives))]} {nouns[rng.integers(len(nouns))]}"
            title += f" ({int(rng.integers(1970, 2024))})"
            if attempt > 50:
                title += f" {attempt - 49}"
            if title not in seen:
                break
        seen.add(title)
        titles.append(title)
    return titles


def generate_interactions(seed: int = 0) -> SampleLog:
    """The bundled teaching log: 600 users, 400 items in 8 genres (50 each), about 18,000 rows.

    Users lean strongly to one or two genres, activity runs from 8 to a few hundred items (power
    users), item popularity has a long tail, and timestamps span seven months with taste drift.
    """
    sim = simulate_log(
        600, 400, 18_000, len(GENRES), latent_dim=12, genre_weight=0.9, taste_strength=6.0,
        pop_sigma=1.5, min_per_user=8, activity_sigma=1.0, late_share=0.25, drift=0.4,
        order_noise=0.3, balanced_genres=True, seed=seed,
    )
    rng = np.random.default_rng(seed + 1)
    item_ids = [f"m{i + 1:03d}" for i in range(400)]
    user_ids = [f"u{u + 1:03d}" for u in range(600)]
    items = pd.DataFrame({
        "item": item_ids,
        "title": _titles(rng, sim.item_genre, GENRES),
        "genre": [GENRES[g] for g in sim.item_genre],
    })
    order = np.lexsort((sim.timestamps, sim.users))
    log = pd.DataFrame({
        "user": np.array(user_ids)[sim.users[order]],
        "item": np.array(item_ids)[sim.items[order]],
        "rating": sim.ratings[order],
        "timestamp": sim.timestamps[order].astype(np.int64),
    })
    user_genre = {user_ids[u]: GENRES[g] for u, g in enumerate(sim.user_genre)}
    return SampleLog(interactions=log, items=items, user_genre=user_genre)


def write_sample_interactions(out_dir: Path) -> tuple[Path, Path]:
    """Write ``sample_interactions.csv`` (user,item,rating,timestamp) and ``sample_items.csv``
    (item,title,genre) into ``out_dir``; return both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = generate_interactions()
    log_path = out_dir / "sample_interactions.csv"
    items_path = out_dir / "sample_items.csv"
    sample.interactions.to_csv(log_path, index=False)
    sample.items.to_csv(items_path, index=False)
    return log_path, items_path
