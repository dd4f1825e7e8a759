"""A faithfulness audit to read: sampled articles' bullets beside the sentences they come from.

For each sampled article: its title, then each bullet with who wrote it (model or extractive),
the source sentence(s) it cites, and — when the model's line was refused — what the model wrote
and why. Each bullet gets a line to mark as a careful reader would: ok, false (states what the
source does not) or misleading (true words, wrong impression: a changed subject, a dropped
condition, a quote out of context). The sample is fixed by ``--seed``, so two summarizers (or two
revisions) can be read on the same bullets.

    python benchmarks/audit.py --bullets 60 --summarizer transformer -o audit-model.html
    python benchmarks/audit.py --bullets 60 --summarizer extractive --format text

Reads ../shared/data (``--corpus``); exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sample(corpus: str, articles: int, seed: int) -> list[dict]:
    path = ROOT.parent / "shared" / "data" / corpus / "articles.jsonl.gz"
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return random.Random(seed).sample(rows, min(articles, len(rows)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="livedoor")
    ap.add_argument("--bullets", type=int, default=60, help="stop once this many bullets are collected")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--summarizer", default="transformer")
    ap.add_argument("--format", choices=("text", "html"), default=None, help="text or html (default: as -o's suffix says, else text)")
    ap.add_argument("-o", "--output", help="write here instead of standard output")
    ap.add_argument("--set", action="append", default=[], dest="overrides")
    args = ap.parse_args()
    rows = sample(args.corpus, max(1, args.bullets), args.seed)
    if not rows:
        print(f"../shared/data/{args.corpus} not found; nothing to audit", file=sys.stderr)
        return 0
    from kiku.config import load_config
    from kiku.runner import Kiku
    from kiku.types import Article, Summary

    kiku = Kiku(load_config(overrides=args.overrides), args.summarizer)
    items: list[tuple[Summary, object]] = []
    count = 0
    articles = [Article(id=r["id"], title=r.get("title"), body=r["body"], origin=r["id"]) for r in rows]
    for result in kiku.run(articles):
        if not isinstance(result, Summary):
            continue
        items.append((result, result.bullets))
        count += len(result.bullets)
        if count >= args.bullets:
            break
    fmt = args.format or ("html" if (args.output or "").endswith((".html", ".htm")) else "text")
    text = _html(items, args) if fmt == "html" else _text(items, args)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    written = sum(b.origin == "model" for s, _ in items for b in s.bullets)
    print(f"{count} bullets from {len(items)} articles ({written} written by the model)", file=sys.stderr)
    return 0


def _text(items: list, args: argparse.Namespace) -> str:
    out = [f"# Audit: {args.summarizer} on {args.corpus}, seed {args.seed}", ""]
    n = 0
    for summary, bullets in items:
        out += [f"## {summary.article.title or summary.article.id}  ({summary.article.id})", ""]
        for b in bullets:
            n += 1
            out.append(f"{n}. [{b.origin}] {b.text}")
            for source in b.evidence:
                out.append(f"   source: {source}")
            if b.reason:
                out.append(f"   model wrote: {b.replaced or '(nothing)'} — refused: {b.reason}")
            out.append("   verdict: [ ] ok  [ ] false  [ ] misleading   note:")
        out.append("")
    return "\n".join(out) + "\n"


def _html(items: list, args: argparse.Namespace) -> str:
    rows = []
    n = 0
    for summary, bullets in items:
        rows.append(f'<tr class="article"><th colspan="4">{escape(summary.article.title or summary.article.id)} <small>{escape(summary.article.id)}</small></th></tr>')
        for b in bullets:
            n += 1
            refused = f"<br><small>model wrote: {escape(b.replaced or '(nothing)')} — refused: {escape(b.reason)}</small>" if b.reason else ""
            rows.append(
                f"<tr><td>{n}</td><td>{escape(b.origin)}</td><td>{escape(b.text)}{refused}</td>"
                f"<td>{'<br>'.join(escape(s) for s in b.evidence)}</td></tr>"
            )
    return (
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Audit {escape(args.summarizer)}</title><style>"
        "body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}tr.article th{background:#f3f3f3}"
        "</style></head><body>"
        f"<h1>Audit: {escape(args.summarizer)} on {escape(args.corpus)}, seed {args.seed}</h1>"
        "<table><tr><th>#</th><th>by</th><th>bullet</th><th>source</th></tr>" + "".join(rows) + "</table></body></html>\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
