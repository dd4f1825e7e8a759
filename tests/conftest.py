from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

import pytest

# Models prepared by the tests (tiny ones, and the real one in the slow test) go to a cache of
# the test run's own, never into the user's: KIKU_TEST_CACHE names one to reuse between runs.
os.environ["KIKU_CACHE"] = os.environ.get("KIKU_TEST_CACHE") or tempfile.mkdtemp(prefix="kiku-test-cache.")
# Kiku honours the environment's proxy; the tests' servers are on 127.0.0.1 and must be reached
# directly (the proxy test sets its own).
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)

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


def on_a_terminal(cmd: list[str], **kwargs) -> tuple[int, str]:
    """Run ``cmd`` with its stderr on a pseudo-terminal (as a person at a terminal sees it);
    its exit code and everything it drew there."""
    import pty
    import subprocess

    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, **kwargs)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Tiny random models (causal with a chat template, and seq2seq), saved as folders."""
    from tests.tiny_models import build_causal, build_seq2seq, build_tokenizer

    root = tmp_path_factory.mktemp("tiny-models")
    tokenizer = build_tokenizer(EXAMPLES)
    return {
        "causal": build_causal(root / "causal", tokenizer),
        "seq2seq": build_seq2seq(root / "seq2seq", tokenizer),
    }
