from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def tagger():
    from kiku.text import Tagger

    return Tagger()


@pytest.fixture(scope="session")
def config():
    from kiku.config import load_config

    return load_config()


@pytest.fixture(scope="session")
def kiku():
    from kiku.runner import Kiku

    return Kiku(summarizer="extractive")


def shared_articles(corpus: str, limit: int) -> list[dict]:
    """Real articles from ../shared/data, or a skip when the corpus is not beside the project."""
    path = SHARED_DATA / corpus / "articles.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not present (the shared corpus lives beside the project)")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) >= limit:
                break
    return rows
