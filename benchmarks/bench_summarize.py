"""Benchmark: preprocessing speed, extractive speed and ROUGE on real news.

Run from the repository root (needs ``pip install -e ".[bench]"`` and ``../shared/data``)::

    python benchmarks/bench_summarize.py                 # livedoor, 1000 articles for sumy
    python benchmarks/bench_summarize.py --limit 300     # quicker

Reports, in one run so that the ratios are fair on a noisy machine:

1. preprocessing (normalise + split + tokenise) chars/s, as a ratio to raw fugashi tagging
   (``fugashi.Tagger()(body)``) of the same bodies;
2. extractive summaries/s, as a ratio to sumy's LexRank (its own Japanese parser, tinysegmenter
   tokens) on the same articles;
3. ROUGE-1/2/L F1 against the headlines, computed as `kiku eval` does (fugashi + unidic-lite
   tokens, punctuation removed), for lead-3 (the first three sentences), sumy LexRank, and Kiku's summarizers. The
   headline is also the article's title, which Kiku's extractive summarizer uses as a feature,
   so it is scored twice: with the title (as in use) and blind to it (the fair comparison).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from kiku.errors import ArticleError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
CORPORA = {
    "livedoor": DATA / "livedoor" / "articles.jsonl.gz",
    "jawikinews": DATA / "jawikinews" / "articles.jsonl.gz",
}


def load(corpus: str, limit: int | None) -> list[dict]:
    path = CORPORA[corpus]
    if not path.exists():
        sys.exit(f"{path} not found: this benchmark needs the shared corpus beside the project")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


METRICS = ("rouge1", "rouge2", "rougeL")


def cpu_seconds(fn) -> float:
    """CPU time of one call: steadier than wall time on a shared machine."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def paired(rounds: int, base, ours) -> tuple[float, float, float]:
    """Time ``base`` and ``ours`` alternately; return (median base s, median ours s, median
    of the per-round ratios base/ours), so that both sides see the same machine load."""
    pairs = [(cpu_seconds(base), cpu_seconds(ours)) for _ in range(rounds)]
    return (
        statistics.median(b for b, _ in pairs),
        statistics.median(o for _, o in pairs),
        statistics.median(b / o for b, o in pairs),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="livedoor")
    ap.add_argument("--limit", type=int, default=1000, help="articles (default 1000; 0 = all)")
    ap.add_argument("--repeat", type=int, default=3, help="paired timing rounds (median taken)")
    ap.add_argument("--speed-articles", type=int, default=300, help="articles in the sumy speed comparison")
    ap.add_argument("--no-sumy", action="store_true", help="skip sumy (speed and ROUGE)")
    args = ap.parse_args()

    import fugashi
    import unidic_lite
    from rouge_score import rouge_scorer

    from kiku.config import load_config
    from kiku.evaluate import JapaneseRougeTokenizer, bootstrap_interval
    from kiku.runner import Kiku
    from kiku.text import Preprocessor, split_sentences
    from kiku.types import Article

    rows = load(args.corpus, args.limit or None)
    articles = [
        Article(id=str(r["id"]), body=r["body"], title=r.get("title"), origin=str(r["id"])) for r in rows
    ]
    headlines = [r.get("reference", {}).get("headline") or r["title"] for r in rows]
    pre = Preprocessor()
    keep = []
    for k, a in enumerate(articles):
        try:
            pre(a)
            keep.append(k)
        except ArticleError:
            pass  # e.g. a body with no Japanese text: reported, not timed
    skipped = len(articles) - len(keep)
    articles = [articles[k] for k in keep]
    headlines = [headlines[k] for k in keep]
    chars = sum(len(a.body) for a in articles)
    print(f"corpus: {args.corpus}, {len(articles)} articles, {chars:,} characters "
          f"({skipped} left out: Kiku rejects them as not Japanese or empty)")

    # 1. preprocessing vs raw fugashi
    raw = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}" -r "{unidic_lite.DICDIR}/mecabrc"')
    t_raw, t_pre, ratio = paired(
        args.repeat,
        lambda: [raw(a.body) for a in articles],
        lambda: [pre(a).analyse_all() for a in articles],
    )
    docs = [pre(a).analyse_all() for a in articles]
    t_dec = cpu_seconds(lambda: [[d.tokens(i) for i in range(len(d.sentences))] for d in docs])
    print(f"\n[1] preprocessing (normalise + split + tokenise), CPU time, median of {args.repeat} paired runs")
    print(f"  raw fugashi tagging : {chars / t_raw:12,.0f} chars/s   fugashi.Tagger()(body), nodes only")
    print(f"  kiku preprocessing  : {chars / t_pre:12,.0f} chars/s   Preprocessor()(article).analyse_all()")
    print(f"  ratio kiku / raw    : {ratio:.2f}x  (target >= 0.7)")
    print(f"  + every Token built : {t_raw / (t_pre + t_dec):.2f}x  (tokens are built on access; this builds all)")

    # 2. speed: kiku extractive vs sumy LexRank, on the same articles
    config = load_config()
    kiku = Kiku(config, "extractive")
    speed_set = articles[: args.speed_articles]
    print(f"\n[2] summaries per second including preprocessing, {len(speed_set)} articles, CPU time, "
          f"median of {args.repeat} paired runs")
    sumy_out: list[list[str]] | None = None
    if args.no_sumy:
        t_kiku = cpu_seconds(lambda: [_joined(kiku, a) for a in speed_set])
        print(f"  kiku extractive     : {len(speed_set) / t_kiku:10.1f} articles/s")
    else:
        from sumy.nlp.tokenizers import Tokenizer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer

        tok = Tokenizer("japanese")
        lex = LexRankSummarizer()

        def run_sumy(items) -> list[list[str]]:
            out = []
            for a in items:
                parsed = PlaintextParser.from_string(a.body, tok)
                out.append([str(s) for s in lex(parsed.document, 3)])
            return out

        t_sumy, t_kiku, ratio = paired(
            args.repeat, lambda: run_sumy(speed_set), lambda: [_joined(kiku, a) for a in speed_set]
        )
        print(f"  kiku extractive     : {len(speed_set) / t_kiku:10.1f} articles/s")
        print(f"  sumy LexRank        : {len(speed_set) / t_sumy:10.1f} articles/s")
        print(f"  ratio kiku / sumy   : {ratio:.1f}x  (target >= 20)")
        sumy_out = run_sumy(articles)

    # 3. ROUGE against headlines
    # The same tokenizer and interval as `kiku eval` (pipeline/evaluate.py).
    scorer = rouge_scorer.RougeScorer(list(METRICS), tokenizer=JapaneseRougeTokenizer(pre.tagger))
    blind = [replace(a, title=None) for a in articles]
    lead3 = Kiku(config, "lead3")
    systems: dict[str, list[str]] = {
        "lead-3 (first 3 sentences)": [
            "".join(s.text for s in split_sentences(a.body)[:3]) for a in articles
        ],
        "kiku lead3 (shaped)": [_joined(lead3, a) for a in articles],
        "kiku extractive": [_joined(kiku, a) for a in articles],
        "kiku extractive, title-blind": [_joined(kiku, a) for a in blind],
    }
    if sumy_out is not None:
        systems["sumy LexRank"] = ["".join(s) for s in sumy_out]
    print("\n[3] ROUGE F1 x100 against headlines (fugashi tokens, punctuation removed)")
    print(f"  {'system':<30}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'chars':>8}")
    per_article: dict[str, dict[str, list[float]]] = {}
    for name, outputs in systems.items():
        scores = [scorer.score(ref, out) for ref, out in zip(headlines, outputs)]
        per_article[name] = {k: [100 * s[k].fmeasure for s in scores] for k in METRICS}
        r = {k: statistics.fmean(v) for k, v in per_article[name].items()}
        mean_chars = statistics.fmean(len(o) for o in outputs)
        print(f"  {name:<30}{r['rouge1']:7.2f}{r['rouge2']:7.2f}{r['rougeL']:7.2f}{mean_chars:8.0f}")
    base = per_article["lead-3 (first 3 sentences)"]
    print("\n  difference to lead-3, mean and 95% paired-bootstrap interval (1000 resamples):")
    for name in ("kiku extractive", "kiku extractive, title-blind"):
        cells = []
        for k in METRICS:
            diffs = [a - b for a, b in zip(per_article[name][k], base[k])]
            lo, hi = bootstrap_interval(diffs)
            cells.append(f"{statistics.fmean(diffs):+6.2f} [{lo:+.2f}, {hi:+.2f}]")
        print(f"  {name:<30}" + "  ".join(f"{m}: {c}" for m, c in zip(("R-1", "R-2", "R-L"), cells)))

    # Shape of Kiku's output
    summaries = []
    for a in articles:
        try:
            summaries.append(kiku.summarize(a))
        except ArticleError:
            pass  # counted below
    bullets = [b for s in summaries for b in s.bullets]
    print("\n[4] kiku extractive output")
    print(f"  summarised          : {len(summaries)}/{len(articles)}")
    print(f"  exactly {config.summary.bullets} bullets    : {sum(len(s.bullets) == config.summary.bullets for s in summaries) / max(1, len(summaries)):.1%}")
    print(f"  mean chars / bullet : {statistics.fmean(len(b.text) for b in bullets):.1f}")
    print(f"  within max_chars    : {sum(len(b.text) <= config.summary.max_chars for b in bullets) / len(bullets):.1%}")
    print(f"  ending in 。        : {sum(b.text.endswith('。') for b in bullets) / len(bullets):.1%}")
    print(f"  shortened (≠ source): {sum(b.text != b.evidence[0] for b in bullets) / len(bullets):.1%}")


def _joined(kiku, article) -> str:
    try:
        return "".join(b.text for b in kiku.summarize(article).bullets)
    except ArticleError:
        return ""  # an article that cannot be summarised scores zero


if __name__ == "__main__":
    main()
