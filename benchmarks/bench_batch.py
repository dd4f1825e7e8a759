"""Benchmark: ``kiku batch run`` over the whole livedoor corpus with the extractive summarizer.

Run from the repository root (needs ``../shared/data``)::

    python benchmarks/bench_batch.py                  # 100 articles, then all 6,597
    python benchmarks/bench_batch.py --sizes 100,1000,6597 --workers 1,2

For each corpus size and worker count, in a fresh store: wall time of the first run (read,
store, summarise, digest of the newest 300), articles per second, the peak resident memory of
the run's processes (the ``kiku`` process and, with workers, the largest worker), and the time
of a second run over the same feed, which has nothing to summarise. Each run is a separate
``kiku`` process, as a cron job would start it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "livedoor" / "articles.jsonl.gz"

# Runs the command and prints its peak RSS: RUSAGE_CHILDREN covers the kiku process and its
# workers (the largest of them), and this wrapper is fresh for each measurement.
_WRAPPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
sys.stderr.write(code.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code.returncode)
"""


def measure(cmd: list[str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if result.returncode not in (0, 1):
        sys.exit(f"kiku batch run failed ({result.returncode}):\n{result.stderr}")
    return seconds, int(result.stdout.strip().splitlines()[-1]), result.stderr.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,6597")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the shared corpus lives beside the project")
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = fh.readlines()
    work = Path(tempfile.mkdtemp(prefix="kiku-bench-batch-"))
    try:
        print(f"{'articles':>8} {'workers':>7} {'first run s':>11} {'art/s':>7} {'peak MB':>8} {'rerun s':>8}")
        for size in (int(s) for s in args.sizes.split(",")):
            feed = work / f"livedoor-{size}.jsonl"
            feed.write_text("".join(rows[:size]), encoding="utf-8")
            feeds = work / f"feeds-{size}.toml"
            feeds.write_text(f'[[feeds]]\nurl = "{feed}"\nname = "livedoor news"\n', encoding="utf-8")
            for workers in (int(w) for w in args.workers.split(",")):
                store = work / f"kiku-{size}-{workers}.db"
                cmd = [sys.executable, "-m", "kiku", "batch", "run", str(feeds), "--store", str(store),
                       "--summarizer", "extractive", "--workers", str(workers), "--digest-dir", str(work / "out"),
                       "--progress", "never"]
                first, peak_kb, line = measure(cmd)
                rerun, _, rerun_line = measure(cmd)
                print(f"{size:>8} {workers:>7} {first:>11.1f} {size / first:>7.0f} {peak_kb / 1024:>8.0f} {rerun:>8.1f}")
                print(f"         {line}\n         {rerun_line}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
