"""Benchmark: ``kiku summarize`` in one process against ``kiku summarize --ray`` on one machine.

Run from the repository root (needs ``../shared/data`` and ``pip install -e ".[ray]"``)::

    python benchmarks/bench_ray.py                         # the whole livedoor corpus, extractive
    python benchmarks/bench_ray.py --limit 500 --repeat 2
    python benchmarks/bench_ray.py --limit 16 --summarizer transformer --actors 1

Each run is a separate ``kiku`` process over the same JSONL file (a corpus prefix when
``--limit`` is given), both in the same session so that their ratio is fair on a shared
machine: one process writes JSON lines with ``-o FILE``, ``--ray`` writes part files with
``-o DIR`` (a local Ray instance started by the run; its start-up is part of the time). The
start-up alone is measured as a ``--ray`` run over one article. The records of both runs are
compared as sets of JSON lines: the goal is that they are equal.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "livedoor" / "articles.jsonl.gz"


def kiku(*args: str) -> float:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "kiku", "summarize", *args], capture_output=True, text=True)
    took = time.perf_counter() - started
    if run.returncode not in (0, 1):
        sys.exit(f"kiku {' '.join(args)} failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return took


def records(path: Path) -> tuple[set[str], int]:
    """The summary records, and the number of failure records (``--ray`` writes those into its
    part files; one process reports them on standard error)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    failures = [line for line in lines if '"error"' in line and "bullets" not in json.loads(line)]
    return set(lines) - set(failures), len(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (default: all)")
    parser.add_argument("--summarizer", default="extractive")
    parser.add_argument("--actors", type=int, default=0, help="--ray-actors (default: from the machine's cores)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    data = Path(args.data)
    if not data.exists():
        sys.exit(f"{data}: not found (the shared corpora sit beside the project)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        with gzip.open(data, "rt", encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as out:
            for n, line in enumerate(src):
                if args.limit and n >= args.limit:
                    break
                out.write(line)
        count = sum(1 for _ in corpus.open(encoding="utf-8"))
        one = tmp / "one-article.jsonl"
        one.write_text(corpus.open(encoding="utf-8").readline(), encoding="utf-8")
        common = ["--summarizer", args.summarizer, "--format", "json"]
        ray_args = ["--ray", *(["--ray-actors", str(args.actors)] if args.actors else [])]
        print(f"{count} articles, summarizer {args.summarizer}")
        for r in range(args.repeat):
            single = kiku(str(corpus), *common, "-o", str(tmp / f"single-{r}.jsonl"))
            on_ray = kiku(str(corpus), *common, *ray_args, "-o", str(tmp / f"ray-{r}"))
            startup = kiku(str(one), *common, *ray_args, "-o", str(tmp / f"ray-one-{r}"))
            (a, _), (b, failed) = records(tmp / f"single-{r}.jsonl"), records(tmp / f"ray-{r}")
            print(
                f"run {r + 1}: one process {single:.1f} s ({count / single:.1f} articles/s); --ray {on_ray:.1f} s "
                f"({count / on_ray:.1f} articles/s); ratio --ray/one {on_ray / single:.2f}; "
                f"--ray over one article {startup:.1f} s; records equal: {a == b} ({len(a)} and {len(b)}; {failed} failure records)"
            )
            if a != b:
                only = sorted(a - b)[:1] + sorted(b - a)[:1]
                print("  differing:", *(json.loads(x)["id"] for x in only))


if __name__ == "__main__":
    main()
