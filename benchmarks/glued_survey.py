"""What the glued-fragment cut does on a real corpus: every headline, caption, byline or related
headline that ``split_sentences`` cuts off a sentence, found by splitting each article with and
without the cut, with the sentence it was glued to, for a careful reading.

    python benchmarks/glued_survey.py                   # livedoor: counts and 40 sampled cuts
    python benchmarks/glued_survey.py --sample 0 --corpus jawikinews

Reads ../shared/data (``--corpus``); exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="livedoor")
    ap.add_argument("--sample", type=int, default=40, help="cuts to print (0: counts only)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    path = ROOT.parent / "shared" / "data" / args.corpus / "articles.jsonl.gz"
    if not path.exists():
        print(f"{path} not found; nothing to survey", file=sys.stderr)
        return 0
    import kiku.text as text
    from kiku.types import SentenceKind

    tagger = text.Tagger()
    cuts: list[tuple[str, str, str]] = []
    touched: set[str] = set()
    articles = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            articles += 1
            with mock.patch.object(text, "glued_fragments", lambda *a, **k: []):
                before = {(s.start, s.text) for s in text.split_sentences(row["body"], row["id"], tagger)}
            after = text.split_sentences(row["body"], row["id"], tagger)
            for i, s in enumerate(after):
                if (s.start, s.text) not in before and s.kind is not SentenceKind.BODY:
                    touched.add(row["id"])
                    cuts.append((s.kind.value, s.text, after[i + 1].text if i + 1 < len(after) else ""))
    kinds = collections.Counter(kind for kind, _, _ in cuts)
    print(f"{articles} articles, {len(touched)} with cuts, {len(cuts)} fragments cut: {dict(kinds)}")
    for kind, fragment, rest in random.Random(args.seed).sample(cuts, min(args.sample, len(cuts))):
        print(f"{kind:8} [{fragment}] → {rest[:50]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
