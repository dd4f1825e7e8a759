"""kiku batch: the SQLite store, incremental reruns, config changes, failures and retry,
workers, one run at a time, and a real process killed with SIGKILL part-way and resumed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiku.store import MIGRATIONS, Store
from tests.conftest import EXAMPLES, ROOT, on_a_terminal
from tests.test_cli import run

DATA = Path(__file__).parent / "data"


def _bodies() -> list[dict]:
    """The project's real articles (examples, quality gate, digest fixtures)."""
    rows = []
    for path in (EXAMPLES / "livedoor.jsonl", EXAMPLES / "wikinews.jsonl", DATA / "quality_gate.jsonl", DATA / "digest-articles.jsonl"):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def corpus(path: Path, n: int) -> Path:
    """``n`` distinct articles: the real ones, each copy with its own URL and a numbered
    closing line (so that URL and text differ), as a JSONL feed."""
    rows = _bodies()
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            r = dict(rows[k % len(rows)])
            r["id"] = f"a{k:04d}"
            r["url"] = f"https://news.example.jp/batch/{k:04d}"
            r["published"] = f"2025-03-{1 + k % 28:02d}T{k % 24:02d}:00:00+09:00"
            r["body"] = r["body"] + f"\n整理番号:{k:04d}"
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def feeds_file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text("".join(f"[[feeds]]\n{e}\n\n" for e in entries), encoding="utf-8")
    return path


def batch(*args: str) -> tuple[int, str, str]:
    return run("batch", *args)


def status(store: Path, *extra: str) -> dict:
    code, out, err = batch("status", "--store", str(store), "--json", "--summarizer", "extractive", *extra)
    assert code == 0, err
    return json.loads(out)


def test_a_rerun_does_no_work_and_a_changed_article_is_summarised_again(tmp_path):
    data = corpus(tmp_path / "news.jsonl", 40)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"\nname = "例ニュース"', f'url = "{DATA / "web" / "rdf-sjis.rdf"}"')
    store = tmp_path / "kiku.db"
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")
    assert code == 0, err
    assert "42 articles read (42 new, 0 changed, 0 duplicates); 42 of 42 summarised; 0 failed" in err
    s = status(store)
    assert (s["articles"], s["summarised"], s["pending"], s["failed"]) == (42, 42, 0, 0)
    # Again: nothing to do.
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")
    assert code == 0 and "42 articles read (0 new, 0 changed, 0 duplicates); 0 of 0 summarised" in err
    # One article's text changes: that one, and only that one, is summarised again.
    lines = data.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[3])
    row["body"] = "【訂正】" + row["body"]
    lines[3] = json.dumps(row, ensure_ascii=False)
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")
    assert code == 0 and "(0 new, 1 changed, 0 duplicates); 1 of 1 summarised" in err
    exported = [json.loads(line) for line in batch("export", "--store", str(store))[1].splitlines()]
    assert len(exported) == 42  # the changed article's summary was replaced, not added
    assert {r["source"] for r in exported} == {"例ニュース", "東北例新報"}  # name from feeds.toml
    assert all(set(r) >= {"id", "title", "url", "published", "source", "bullets", "summarizer", "config_hash"} for r in exported)
    # The same lines as kiku summarize --format json gives for those articles.
    code, out, _ = run("summarize", "--format", "json", str(data))
    summarize_lines = out.splitlines()
    export_lines = batch("export", "--store", str(store))[1].splitlines()
    by_id = {json.loads(line)["id"]: json.loads(line) for line in export_lines}
    for line in summarize_lines:  # the same keys in the same order, the same values (source
        record = json.loads(line)  # aside: the feed's name from feeds.toml replaces it)
        stored = by_id[record["id"]]
        assert list(stored) == list(record)
        assert {**stored, "source": None} == {**record, "source": None}


def test_a_config_change_resummarises_and_keeps_the_old_summaries(tmp_path):
    corpus(tmp_path / "news.jsonl", 10)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    store = tmp_path / "kiku.db"
    assert batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")[0] == 0
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive", "--set", "summary.max_chars=60")
    assert code == 0 and "10 of 10 summarised" in err
    # A setting that does not change summaries (how inputs are fetched) does not re-summarise.
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive", "--set", "input.delay_s=2.0")
    assert code == 0 and "0 of 0 summarised" in err
    assert status(store)["summaries_stored"] == 20
    assert status(store, "--set", "summary.max_chars=60")["summarised"] == 10


def test_failures_are_recorded_and_retried(tmp_path):
    data = corpus(tmp_path / "news.jsonl", 5)
    with data.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "short", "url": "https://news.example.jp/short", "body": "短い。"}, ensure_ascii=False) + "\n")
        fh.write("not json\n")
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"', 'url = "missing.xml"')
    store = tmp_path / "kiku.db"
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")
    assert code == 1
    assert "news.jsonl:6: no sentence of at least 15 characters" in err and "news.jsonl:7: line is not valid JSON" in err
    assert "missing.xml: file not found" in err and "(1 unreadable)" in err
    s = status(store)
    assert (s["articles"], s["summarised"], s["failed"], s["input_failures"]) == (6, 5, 1, 2)
    # A plain rerun does not try the failed article again; retry does.
    assert "0 of 0 summarised" in batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")[2]
    code, _, err = batch("retry", "--store", str(store), "--summarizer", "extractive")
    assert code == 1 and "0 of 1 summarised; 1 failed" in err
    code, out, _ = batch("status", "--store", str(store), "--summarizer", "extractive")
    assert "failed (summarize, 3 tries)" in out or "failed (summarize, 2 tries)" in out
    code, _, err = batch("retry", "--store", str(store), "--summarizer", "extractive", "--set", "summary.min_chars=2")
    assert code == 0 and "1 of 1 summarised; 0 failed" in err


def test_output_is_the_same_whatever_the_number_of_workers(tmp_path):
    corpus(tmp_path / "news.jsonl", 60)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    exports = []
    for workers in ("1", "2"):
        store = tmp_path / f"w{workers}.db"
        out_dir = tmp_path / f"out{workers}"
        code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive", "--workers", workers,
                             "--digest-dir", str(out_dir))
        assert code == 0, err
        exports.append((batch("export", "--store", str(store))[1], [p.read_bytes() for p in sorted(out_dir.iterdir())]))
    assert exports[0] == exports[1]


def test_one_run_at_a_time(tmp_path):
    corpus(tmp_path / "news.jsonl", 5)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    store_path = tmp_path / "kiku.db"
    holder = Store(store_path)
    holder.lock()
    try:
        code, _, err = batch("run", str(feeds), "--store", str(store_path), "--summarizer", "extractive")
        assert code == 3
        assert f"another kiku batch run (pid {os.getpid()}) is using this store" in err and "--wait" in err
        # With --wait, the second run waits for the first to finish and then does the work.
        threading.Timer(0.5, holder.unlock).start()
        code, _, err = batch("run", str(feeds), "--store", str(store_path), "--summarizer", "extractive", "--wait", "10")
        assert code == 0 and "5 of 5 summarised" in err
    finally:
        holder.close()
    assert sqlite3.connect(store_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_schema_is_versioned_and_wal(tmp_path):
    with Store(tmp_path / "kiku.db") as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db = sqlite3.connect(tmp_path / "kiku.db")
    db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    db.commit()
    db.close()
    code, _, err = batch("status", "--store", str(tmp_path / "kiku.db"))
    # Nothing can be done with such a store: the documented exit code for that is 3.
    assert code == 3 and "made by a newer Kiku" in err


def test_feeds_file_errors_are_clear(tmp_path):
    for text, message in [
        ("", "no feeds; add [[feeds]]"),
        ('[[feeds]]\nname = "x"\n', "feed 1: needs url"),
        ('[[feeds]]\nurl = "a.xml"\nfetch = "yes"\n', "feed 1: fetch must be true or false"),
        ('[[feeds]]\nurl = "a.xml"\ncolour = 1\n', "unknown key(s) colour"),
    ]:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(text, encoding="utf-8")
        code, _, err = batch("run", str(feeds), "--store", str(tmp_path / "kiku.db"))
        assert code == 2 and message in err, err


def _summaries(store: Path) -> int:
    """Summaries committed so far, read by another connection while the run goes on."""
    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0  # not created yet
    try:
        return db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
    except sqlite3.Error:
        return 0  # tables not created yet
    finally:
        db.close()


def test_killed_with_sigkill_and_resumed_nothing_lost_nothing_twice(tmp_path):
    n = 300
    corpus(tmp_path / "news.jsonl", n)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    store = tmp_path / "kiku.db"
    out_dir = tmp_path / "out"
    cmd = [sys.executable, "-m", "kiku", "batch", "run", str(feeds), "--store", str(store),
           "--summarizer", "extractive", "--digest-dir", str(out_dir), "--digest-max", "1000", "--progress", "never"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = []
    for threshold in (20, 150):  # kill part-way twice, at different points
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and _summaries(store) < threshold:
            time.sleep(0.01)
        done_before = _summaries(store)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills.append((done_before, proc.returncode))
    assert all(code == -signal.SIGKILL for _, code in kills)
    assert 0 < kills[0][0] < n, kills  # it really was killed part-way
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == n
    per_article = db.execute("SELECT article, COUNT(*) FROM summaries GROUP BY article").fetchall()
    assert len(per_article) == n and all(count == 1 for _, count in per_article)
    # The resumed run did only what was left.
    left = n - _summaries_before_last_run(db)
    assert f"{left} of {left} summarised" in result.stderr
    # The digest has a card for every article.
    [digest] = list(out_dir.iterdir())
    text = digest.read_text(encoding="utf-8")
    assert sum(f"https://news.example.jp/batch/{k:04d}\n" in text for k in range(n)) == n


def test_workers_of_a_killed_run_end_quietly(tmp_path):
    corpus(tmp_path / "news.jsonl", 400)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    store = tmp_path / "kiku.db"
    cmd = [sys.executable, "-m", "kiku", "batch", "run", str(feeds), "--store", str(store),
           "--summarizer", "extractive", "--workers", "2", "--progress", "never"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and _summaries(store) < 20:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The workers share the run's stderr: it closes only when they have ended too.
    reader = threading.Thread(target=lambda: setattr(reader, "text", proc.stderr.read().decode("utf-8", "replace")))
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), "the workers outlived the killed run"
    assert "Traceback" not in reader.text and "BrokenPipeError" not in reader.text, reader.text


def _summaries_before_last_run(db: sqlite3.Connection) -> int:
    last = db.execute("SELECT MAX(id) FROM runs").fetchone()[0]
    return db.execute("SELECT COUNT(*) FROM summaries WHERE run < ?", (last,)).fetchone()[0]


def test_progress_on_a_terminal_only_and_a_summary_line_always(tmp_path):
    corpus(tmp_path / "news.jsonl", 30)
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    cmd = [sys.executable, "-m", "kiku", "batch", "run", str(feeds), "--summarizer", "extractive"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Not a terminal: no bar, only the summary line.
    piped = subprocess.run([*cmd, "--store", str(tmp_path / "a.db")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr.count("\n") == 1 and piped.stderr.startswith("kiku: run 1:")
    # A terminal: tqdm's bar (done/total, rate, ETA), then the same summary line.
    code, screen = on_a_terminal([*cmd, "--store", str(tmp_path / "b.db")], cwd=ROOT, env=env)
    assert code == 0
    assert "summarising" in screen and "30/30" in screen and "art/s" in screen
    assert "kiku: run 1: 1 feed; 30 articles read (30 new" in screen


def test_status_shows_every_summarizer_and_a_new_config_retries_failures(tmp_path):
    # A store summarised with extractive shows it even when status is asked for the default
    # summarizer; a failure under one config does not hold the article back under another.
    data = corpus(tmp_path / "news.jsonl", 4)
    with data.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "short", "url": "https://news.example.jp/short", "body": "短いが本文。"}, ensure_ascii=False) + "\n")
    feeds = feeds_file(tmp_path, 'url = "news.jsonl"')
    store = tmp_path / "kiku.db"
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive")
    assert code == 1 and "1 failed" in err
    code, out, _ = batch("status", "--store", str(store))  # the default summarizer: transformer
    assert code == 0 and "extractive, config" in out and ": 4 summarised" in out
    assert [s["summarised"] for s in status(store)["by_summarizer"]] == [4]
    code, _, err = batch("run", str(feeds), "--store", str(store), "--summarizer", "extractive", "--set", "summary.min_chars=2")
    assert code == 0 and "5 of 5 summarised; 0 failed" in err, err
