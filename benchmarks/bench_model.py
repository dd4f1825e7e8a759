"""Benchmark of the transformer summarizer on real articles (CPU).

Measures, in one process on the same articles:
- first load (assemble + verify + convert the GGUF into a fresh cache) vs cached load, and the
  one-off int8 quantisation;
- articles per minute at batch size 1 and at larger batch sizes (sentences per model call);
- peak resident memory;
- share of bullets the model wrote vs replaced by extractive ones, with the reasons.

    python benchmarks/bench_model.py --limit 20 --batch-sizes 1,12

Reads ../shared/data/livedoor (or --corpus); exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiku.models.presets import resolve_model  # noqa: E402
from kiku.summarizers.transformer import TransformerSummarizer  # noqa: E402
from kiku.config import load_config  # noqa: E402
from kiku.text import Preprocessor, Tagger  # noqa: E402
from kiku.types import Article  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="livedoor")
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--batch-sizes", default="1,12")
    ap.add_argument("--fresh-cache", action="store_true", help="measure the first load (conversion) too")
    ap.add_argument("--set", action="append", default=[], dest="overrides")
    args = ap.parse_args()
    path = ROOT.parent / "shared" / "data" / args.corpus / "articles.jsonl.gz"
    if not path.exists():
        print(f"{path} not found; nothing to measure")
        return 0
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) >= args.limit:
                break
    articles = [Article(id=r["id"], title=r.get("title"), body=r["body"], origin=r["id"]) for r in rows]
    tagger = Tagger()
    pre = Preprocessor(tagger)
    docs = [pre(a) for a in articles]
    overrides = list(args.overrides)
    report: dict = {"articles": len(docs), "corpus": args.corpus}

    from kiku.models.generate import Generator

    config = load_config(overrides=overrides)
    preset = resolve_model(config.model.preset)
    if args.fresh_cache:
        with tempfile.TemporaryDirectory() as cache:
            fresh = dataclasses.replace(config.model, cache_dir=cache, quantize="none")
            started = time.perf_counter()
            Generator(preset, fresh)
            report["first_load_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    Generator(preset, dataclasses.replace(config.model, quantize="none"))
    report["cached_load_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    summarizer = TransformerSummarizer(config, tagger)
    report["cached_load_with_int8_s"] = round(time.perf_counter() - started, 1)
    report["runs"] = []
    for size in [int(s) for s in args.batch_sizes.split(",")]:
        summarizer.generator.config = dataclasses.replace(config.model, batch_size=size)
        summarizer.batch_size = max(1, size // config.summary.bullets)
        started = time.perf_counter()
        results = []
        for i in range(0, len(docs), summarizer.batch_size):
            results += summarizer.summarize_batch(docs[i : i + summarizer.batch_size])
        elapsed = time.perf_counter() - started
        bullets = [b for r in results if hasattr(r, "bullets") for b in r.bullets]
        reasons = Counter((b.reason or "").split(":")[0] for b in bullets if b.origin != "model")
        report["runs"].append(
            {
                "batch_size": size,
                "seconds": round(elapsed, 1),
                "articles_per_min": round(len(docs) / elapsed * 60, 2),
                "bullets": len(bullets),
                "model_written": sum(b.origin == "model" for b in bullets),
                "replaced_reasons": dict(reasons.most_common()),
            }
        )
        print(json.dumps(report["runs"][-1], ensure_ascii=False), flush=True)
        if size == int(args.batch_sizes.split(",")[-1]):
            for r in results[:5]:
                for b in getattr(r, "bullets", ()):
                    print(f"  [{b.origin}] {b.text}")
    base = report["runs"][0]["articles_per_min"]
    for run in report["runs"]:
        run["speedup_vs_first"] = round(run["articles_per_min"] / base, 2)
    report["peak_rss_mib"] = round(peak_mib())
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
