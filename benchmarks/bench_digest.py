"""Benchmark: how well ``kiku digest`` groups articles into topic sections, and how long
building a digest takes.

Run from the repository root (needs ``../shared/data``)::

    python benchmarks/bench_digest.py
    python benchmarks/bench_digest.py --similarity 0.05,0.08,0.1,0.15,0.2 --per-story 5

1. Grouping: Wikinews articles from several stories (titles naming the same event or series:
   the 2008 Sichuan earthquake, the 2008 US presidential election, Nobel prizes, typhoons,
   J.League, Olympics) plus unrelated articles. Reported per similarity threshold: pair
   precision (two articles put in one section belong to one story) and pair recall (two
   articles of one story end up in one section), and the number of sections.
2. Speed: extractive summaries of N livedoor articles, then the digest built from them
   (grouping, headings, answers, points) — seconds for the digest step alone.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import sys
import time
from pathlib import Path

from pipeline.config import load_config
from pipeline.digest import DigestBuilder, DigestOptions, _cluster
from pipeline.ingest import parse_record
from pipeline.runner import Kiku
from pipeline.types import Summary

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
STORIES = {
    "sichuan": "四川",
    "us-election": "2008アメリカ大統領選挙",
    "nobel": "ノーベル",
    "typhoon": "台風",
    "j-league": "Jリーグ",
    "olympics": "オリンピック",
}


def rows(corpus: str) -> list[dict]:
    path = DATA / corpus / "articles.jsonl.gz"
    if not path.exists():
        sys.exit(f"{path} not found: the shared corpus lives beside the project")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def grouping(kiku: Kiku, thresholds: list[float], per_story: int, unrelated: int, seed: int) -> None:
    data = rows("jawikinews")
    story: dict[str, str] = {}
    picked = []
    for name, key in STORIES.items():
        for r in [r for r in data if key in r["title"] and r["id"] not in story][:per_story]:
            story[r["id"]] = name
            picked.append(r)
    rest = [r for r in data if r["id"] not in story and not any(k in r["title"] for k in STORIES.values())]
    for r in random.Random(seed).sample(rest, unrelated):
        story[r["id"]] = r["id"]
        picked.append(r)
    summaries = [s for s in kiku.run(parse_record(r, r["id"], r["id"]) for r in picked) if isinstance(s, Summary)]
    builder = DigestBuilder(kiku.config, kiku.tagger)
    features = [builder._features(s) for s in summaries]
    ids = [s.article.id for s in summaries]
    print(f"grouping: {len(summaries)} Wikinews articles, {len(STORIES)} stories x {per_story} + {unrelated} unrelated")
    print(f"{'similarity':>10} {'sections':>8} {'pair P':>7} {'pair R':>7} {'F1':>5}")
    for t in thresholds:
        label = {i: k for k, group in enumerate(_cluster(features, t)) for i in group}
        tp = fp = fn = 0
        for i, j in itertools.combinations(range(len(ids)), 2):
            same, together = story[ids[i]] == story[ids[j]], label[i] == label[j]
            tp += same and together
            fp += together and not same
            fn += same and not together
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{t:>10.2f} {len(set(label.values())):>8} {p:>7.2f} {r:>7.2f} {f1:>5.2f}")


def speed(kiku: Kiku, n: int) -> None:
    data = rows("livedoor")[:n]
    t0 = time.perf_counter()
    summaries = [s for s in kiku.run(parse_record(r, r["id"], r["id"]) for r in data) if isinstance(s, Summary)]
    t1 = time.perf_counter()
    digest = DigestBuilder(kiku.config, kiku.tagger).build(summaries, DigestOptions(sections=20))
    t2 = time.perf_counter()
    print(f"speed: {len(summaries)} livedoor articles: summaries {t1 - t0:.1f} s, digest {t2 - t1:.2f} s "
          f"({len(digest.sections)} sections)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--similarity", default="0.05,0.08,0.1,0.15,0.2", help="thresholds to compare")
    ap.add_argument("--per-story", type=int, default=5)
    ap.add_argument("--unrelated", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--speed", type=int, default=500, metavar="N", help="livedoor articles for the speed run (0: skip)")
    args = ap.parse_args()
    kiku = Kiku(load_config(), "extractive")
    grouping(kiku, [float(x) for x in args.similarity.split(",")], args.per_story, args.unrelated, args.seed)
    if args.speed:
        speed(kiku, args.speed)


if __name__ == "__main__":
    main()
