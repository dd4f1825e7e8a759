"""The model path side by side: an earlier revision's default path against this one's, on the
same articles, in one run (each in its own process, so that start-up and peak memory are its
own), on this machine (CPU, or a GPU when torch sees one).

For each path it prints: start-up (building the summarizer: loading, preparing where needed),
articles per minute, prompt tokens computed and reused and tokens generated per article, peak
resident memory of the process, the share of bullets the model wrote, the bullets replaced by
reason, and the bullets with a number or name the article lacks (0 expected: the checks refuse
them), and how many of each path's model-written bullets pass *this* revision's deletion
checks (an earlier revision passed some that later checks refuse). The ratio of articles per
minute is the figure to quote: both paths ran on the same machine in the same run.

    python benchmarks/bench_model.py --limit 24                      # vs the revision before the engine rework
    python benchmarks/bench_model.py --limit 24 --baseline-rev none  # this revision only
    python benchmarks/bench_model.py --limit 512 --baseline-rev none --architecture-of ~/.cache/kiku/int8-cc324af070c2ecbf --set 'model.device="cuda"'

``--architecture-of FOLDER`` measures speed where the weights cannot be had (a GPU machine
with no copy of them): a model of the same architecture (the folder's config.json) with random
weights and the folder's tokenizer, so prompts and their token counts are the real ones. A
random model's bullets are rejected, so its quality figures mean nothing, and its output
lengths differ: constrained decoding makes it stop early (a lower bound on the work), free
decoding makes it run to the cap of ``max_new_tokens`` per sentence (an upper bound).

The earlier revision is checked out with ``git worktree`` into a temporary folder and run with
the same Python environment. Reads ../shared/data/livedoor (or --corpus); exits cleanly when the
corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The last revision whose model path is "today's" in the engine issue: int8 quantisation at
#: every start, one prompt per sentence with the worked example and context in each.
BASELINE_REV = "252dd81"

# Runs inside the revision under test: it imports that revision's package (``kiku`` now,
# ``pipeline`` before), summarises the articles, and prints one JSON line.
WORKER = r"""
import json, resource, sys, time
from collections import Counter
started = time.perf_counter()
args = json.loads(sys.argv[1])
if args["package"] == "kiku":
    from kiku.config import load_config
    from kiku.runner import Kiku
    from kiku.types import Article
    from kiku.check import unsupported
else:  # an earlier revision, whose package was pipeline
    from pipeline.config import load_config
    from pipeline.runner import Kiku
    from pipeline.types import Article
    unsupported = None
articles = [Article(id=r["id"], title=r.get("title"), body=r["body"], origin=r["id"]) for r in json.load(open(args["articles"]))]
t = time.perf_counter()
kiku = Kiku(load_config(overrides=args["overrides"]), "transformer")
startup = time.perf_counter() - t
gen = kiku.summarizer.generator
counts = Counter()
inner = gen._generate_batch
def counted(prompts, constrained):
    before = dict(getattr(gen, "counts", {}))
    outs = inner(prompts, constrained)
    if hasattr(gen, "counts"):
        counts.update({k: v - before.get(k, 0) for k, v in gen.counts.items()})
    else:  # the earlier revision: every prompt token is computed, none reused
        counts["prompt"] += sum(len(gen.tokenizer(gen.render(p)).input_ids) for p in prompts)
        counts["generated"] += sum(len(gen.tokenizer(o, add_special_tokens=False).input_ids) for o in outs)
    return outs
gen._generate_batch = counted
t = time.perf_counter()
results = list(kiku.run(articles))
seconds = time.perf_counter() - t
bullets = [b for r in results if hasattr(r, "bullets") for b in r.bullets]
reasons = Counter((b.reason or "").split(":")[0] for b in bullets if b.origin != "model")
bad = 0
if unsupported is not None:
    bad = sum(1 for r in results if hasattr(r, "bullets") for b in r.bullets if unsupported(b.text, r.article.body, kiku.tagger))
n = len(articles)
print(json.dumps({
    "startup_s": round(startup, 1),
    "process_to_ready_s": round(time.perf_counter() - started - seconds, 1),
    "seconds": round(seconds, 1),
    "articles_per_min": round(n / seconds * 60, 2),
    "prompt_tokens_per_article": round(counts["prompt"] / n, 1),
    "reused_tokens_per_article": round(counts.get("prefix_reused", 0) / n, 1),
    "generated_tokens_per_article": round(counts["generated"] / n, 1),
    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "bullets": len(bullets),
    "model_written": sum(b.origin == "model" for b in bullets),
    "model_written_share": round(100 * sum(b.origin == "model" for b in bullets) / max(1, len(bullets)), 1),
    "unsupported_numbers_or_names": bad,
    "failed_articles": sum(1 for r in results if not hasattr(r, "bullets")),
    "replaced_by_reason": dict(reasons.most_common()),
    "device": getattr(gen, "runtime", "cpu, int8 (quantised at load)"),
    "gpu_peak_mib": round(__import__("torch").cuda.max_memory_allocated() / 2**20) if __import__("torch").cuda.is_available() else None,
    "examples": [[b.origin, b.text] for r in results[:3] if hasattr(r, "bullets") for b in r.bullets],
    "model_lines": [[b.text, b.evidence[0]] for b in bullets if b.origin == "model" and b.evidence],
}, ensure_ascii=False))
"""


def recheck(paths: dict[str, dict]) -> None:
    """Every path's model-written bullets through this revision's deletion checks: an earlier
    revision's share counts lines its own checks passed, some of which later checks refuse
    (a modifier handed to another noun, an object dropped). Adds ``model_written_passing_now``."""
    from kiku.check import deletion_problem
    from kiku.text import Tagger

    tagger = Tagger()
    for path in paths.values():
        lines = path.get("model_lines", [])
        path["refused_now"] = [(t, s, why) for t, s in lines if (why := deletion_problem(t, s, tagger))]
        path["model_written_passing_now"] = len(lines) - len(path["refused_now"])


def run_path(code_root: Path, package: str, articles_file: Path, overrides: list[str], cache: str | None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(code_root), os.environ.get("PYTHONPATH")) if p)}
    if cache:
        env["KIKU_CACHE"] = cache
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps({"articles": str(articles_file), "overrides": overrides, "package": package})],
        cwd=code_root, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the path in {code_root} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _importable(worktree: Path, tmp: Path) -> tuple[str, Path]:
    """The package name and the folder to put on PYTHONPATH for a checked-out revision: its
    ``pipeline`` package before the rename; after it, a ``kiku`` tree of links laid out as the
    build maps the folders (pipeline/ is kiku, models/ kiku.models, configs/ kiku.configs)."""
    if 'kiku = "pipeline"' not in (worktree / "pyproject.toml").read_text(encoding="utf-8"):
        return "pipeline", worktree
    root = tmp / "baseline-path"
    package = root / "kiku"
    package.mkdir(parents=True)
    for entry in (worktree / "pipeline").iterdir():
        (package / entry.name).symlink_to(entry)
    (package / "models").symlink_to(worktree / "models")
    (package / "configs").symlink_to(worktree / "configs")
    return "kiku", root


def _random_model(source: Path, target: Path) -> Path:
    """A save_pretrained folder with ``source``'s config, tokenizer and generation config and
    random bfloat16 weights."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    config = AutoConfig.from_pretrained(source)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    model.generation_config = GenerationConfig.from_pretrained(source)
    model.save_pretrained(target)
    AutoTokenizer.from_pretrained(source).save_pretrained(target)
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="livedoor")
    ap.add_argument("--limit", type=int, default=24)
    ap.add_argument("--offset", type=int, default=0, help="skip this many articles first")
    ap.add_argument("--baseline-rev", default=BASELINE_REV, help="git revision of the earlier path, or none")
    ap.add_argument("--baseline-cache", help="KIKU_CACHE for the earlier path (its converted float32 model)")
    ap.add_argument("--cache", help="KIKU_CACHE for this revision (its prepared int8 model)")
    ap.add_argument("--set", action="append", default=[], dest="overrides", help="config override for this revision's path")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--articles-file", help="a JSON list of article records to use instead of the corpus")
    ap.add_argument("--architecture-of", metavar="FOLDER", help="random weights of this folder's architecture (see above)")
    args = ap.parse_args()
    rows = []
    if args.articles_file:
        rows = json.loads(Path(args.articles_file).read_text(encoding="utf-8"))[args.offset : args.offset + args.limit]
    else:
        path = ROOT.parent / "shared" / "data" / args.corpus / "articles.jsonl.gz"
        if not path.exists():
            print(f"{path} not found; nothing to measure")
            return 0
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n < args.offset:
                    continue
                rows.append(json.loads(line))
                if len(rows) >= args.limit:
                    break
    report: dict = {"corpus": args.corpus, "articles": len(rows), "offset": args.offset, "paths": {}}
    with tempfile.TemporaryDirectory() as tmp:
        articles_file = Path(tmp) / "articles.json"
        articles_file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        if args.architecture_of:
            model = _random_model(Path(args.architecture_of).expanduser(), Path(tmp) / "random-model")
            args.overrides = [f"model.preset={json.dumps(str(model))}", *args.overrides]
            report["random_weights_of"] = args.architecture_of
        if args.baseline_rev != "none":
            worktree = Path(tmp) / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.baseline_rev], cwd=ROOT, check=True)
            try:
                package, code_root = _importable(worktree, Path(tmp))
                report["paths"][f"baseline {args.baseline_rev}"] = run_path(code_root, package, articles_file, [], args.baseline_cache)
                print(json.dumps(report["paths"], ensure_ascii=False), flush=True)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
        try:
            head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:  # no git where it runs
            head = ""
        report["paths"][f"this {head or 'revision'}"] = run_path(ROOT, "kiku", articles_file, args.overrides, args.cache)
    names = list(report["paths"])
    recheck(report["paths"])
    keys = [k for k in report["paths"][names[-1]] if k not in ("replaced_by_reason", "examples", "model_lines", "refused_now")]
    print(f"{len(rows)} {args.corpus} articles")
    print(f"{'':32}" + "".join(f"{n[:26]:>28}" for n in names))
    for key in keys:
        print(f"{key:32}" + "".join(f"{str(report['paths'][n].get(key, '')):>28}" for n in names))
    if len(names) == 2:
        a, b = (report["paths"][n] for n in names)
        report["speedup"] = round(b["articles_per_min"] / a["articles_per_min"], 2)
        print(f"articles/min, this / baseline: {report['speedup']}x")
    for n in names:
        print(f"{n}: replaced by reason {report['paths'][n]['replaced_by_reason']}")
    for n in names:
        for text, source, why in report["paths"][n].get("refused_now", []):
            print(f"{n}: model line refused by this revision's checks ({why}): {text}\n    source: {source}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
