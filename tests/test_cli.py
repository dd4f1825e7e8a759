"""The command line, through its runner with stdin, and the installed ``kiku`` script."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiku.cli import EPILOG, main

from .conftest import EXAMPLES, ROOT

TEXT = (
    "ロシア、停戦案の即時受け入れに難色\n\n"
    "ロシアのプーチン大統領は13日、米国が提示した30日間の停戦案について、条件を付けたうえで検討する考えを示した。\n"
    "プーチン氏はモスクワで記者会見し、停戦の考え方には賛成だと述べた。\n"
    "そのうえで、停戦期間中にウクライナへの兵器の搬入を止めることなどを求めた。\n"
    "米露は今後も協議を続ける方針だ。\n"
)


def run(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """The command line, with the extractive summarizer unless the test names one: the model
    summarizer has its own tests (test_models.py)."""
    if argv and argv[0] == "summarize" and "--summarizer" not in argv:
        argv = ("summarize", "--summarizer", "extractive", *argv[1:])
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_summarize_stdin_text():
    code, out, err = run("summarize", "-", stdin=TEXT.encode())
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "ロシア、停戦案の即時受け入れに難色"
    assert len(lines) == 4
    assert all(line.startswith("✅ ") and line.endswith("。") for line in lines[1:])


def test_no_input_reads_stdin():
    code, out, _ = run("summarize", stdin=TEXT.encode())
    assert code == 0 and out.count("✅") == 3


def test_summarize_json():
    code, out, err = run("summarize", "-", "--format", "json", "--set", "summary.max_chars=60", stdin=TEXT.encode())
    assert code == 0, err
    record = json.loads(out)
    assert record["id"] == "stdin"
    assert record["title"] == "ロシア、停戦案の即時受け入れに難色"
    assert record["summarizer"] == "extractive"
    assert record["config"]["summary"]["max_chars"] == 60
    assert len(record["config_hash"]) == 12
    assert len(record["bullets"]) == 3
    for b in record["bullets"]:
        assert len(b["text"]) <= 60
        assert all(isinstance(i, int) for i in b["sources"])
        assert len(b["source_text"]) == len(b["sources"])


def test_summarize_jsonl_file_keeps_record_fields():
    code, out, err = run("summarize", str(EXAMPLES / "livedoor.jsonl"), "--format", "json")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 3
    assert records[0]["id"] == "livedoor-sports-watch-5910164"
    assert records[0]["url"].startswith("http://news.livedoor.com/")
    assert records[0]["published"] == "2011-10-04T11:00:00+09:00"
    assert records[0]["source"] == "Sports Watch"


def test_summarize_folder_and_blank_line_between_articles():
    code, out, err = run("summarize", str(EXAMPLES))
    assert code == 0, err
    assert out.count("✅") == 17  # 5 articles x 3 + the typhoon article's 2
    assert "wikinews-typhoon.txt: only 2 usable sentences" in err
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 6


def test_summarizer_option_and_unknown_name():
    code, out, _ = run("summarize", "-", "--summarizer", "lead3", "--format", "json", stdin=TEXT.encode())
    assert code == 0 and json.loads(out)["summarizer"] == "lead3"
    code, out, err = run("summarize", "-", "--summarizer", "gpt", stdin=TEXT.encode())
    assert code == 2 and out == ""
    assert err.strip() == "kiku: unknown summarizer 'gpt'; choose one of: extractive, lead3, transformer"


def test_config_file_and_bad_key(tmp_path):
    cfg = tmp_path / "kiku.toml"
    cfg.write_text("[summary]\nbullets = 2\n", encoding="utf-8")
    code, out, _ = run("summarize", "-", "--config", str(cfg), stdin=TEXT.encode())
    assert code == 0 and out.count("✅") == 2
    code, _, err = run("summarize", "-", "--set", "summary.bulets=2", stdin=TEXT.encode())
    assert code == 2
    assert "unknown key summary.bulets" in err and "Traceback" not in err


def test_output_file(tmp_path):
    target = tmp_path / "out.txt"
    code, out, _ = run("summarize", "-", "-o", str(target), stdin=TEXT.encode())
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").count("✅") == 3


# Each bad input gets one clear line naming it; the good article in the same run still comes out.
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: file not found; check the path"),
        ("empty.txt", b"", "empty.txt: is empty; give it an article's text"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: looks like binary data, not text"),
        (
            "latin1.txt",
            "Caf\u00e9 \u00e0 la cr\u00e8me, \u00e9t\u00e9 \u00ff".encode("latin-1"),
            "latin1.txt: cannot be decoded as UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP",
        ),
        ("broken.xml", b"<?xml version='1.0'?><rss><channel><title>x</title>", "broken.xml: is not a readable feed"),
        (
            "front.html",
            '<html><head><title>例ニュース</title></head><body><nav><a href="/">トップ</a></nav><main><ul>'
            '<li><a href="/a/1">北海道で震度５弱　けが人の情報なし</a></li><li><a href="/a/2">日銀、金利据え置き'
            '</a></li></ul></main></body></html>'.encode(),
            "front.html: no article text found",
        ),
        ("english.txt", b"This article is written in English only.", "english.txt: the article has no Japanese text"),
        ("bad.jsonl", b'{"body": "\xe6\x9c\xac\xe6\x96\x87"\n', "bad.jsonl:1: line is not valid JSON"),
        ("nobody.jsonl", b'\n{"id": "a", "title": "x"}\n', "nobody.jsonl:2: record has no \"body\" field"),
        ("emptybody.jsonl", b'{"id": "a", "body": "  "}\n', "emptybody.jsonl:1: record has an empty \"body\""),
        ("notobj.json", b'[1]', "notobj.json[1]: expected a JSON object"),
        ("tiny.txt", "短い。".encode(), "tiny.txt: no sentence of at least 15 characters"),
    ],
)
def test_bad_input_is_reported_and_the_rest_goes_on(tmp_path, name, content, message):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    code, out, err = run("summarize", str(bad), str(good))
    assert code == 1
    assert out.count("✅") == 3  # the good article is still summarised
    [line] = err.strip().splitlines()
    assert line.startswith("kiku: ") and message in line, line
    assert "Traceback" not in err


def test_bad_jsonl_line_keeps_the_other_lines(tmp_path):
    data = tmp_path / "mixed.jsonl"
    body = TEXT.split("\n\n", 1)[1]
    good = json.dumps({"id": "ok", "body": body}, ensure_ascii=False)
    other = json.dumps({"id": "ok2", "body": body + "\n専門家は停戦の実現には時間がかかるとみている。"}, ensure_ascii=False)
    data.write_text(f"{good}\nnot json\n{other}\n", encoding="utf-8")
    code, out, err = run("summarize", str(data))
    assert code == 1
    assert out.count("✅") == 6
    assert "mixed.jsonl:2: line is not valid JSON" in err


def test_duplicates_are_dropped_and_counted(tmp_path):
    data = tmp_path / "dup.jsonl"
    body = TEXT.split("\n\n", 1)[1]
    rows = [
        {"id": "a", "body": body, "url": "https://news.example.jp/a?utm_source=rss"},
        {"id": "b", "body": body + "\n追記：会見は約１時間にわたった。", "url": "https://NEWS.example.jp/a#top"},
        {"id": "c", "body": body.replace("。", "。\n"), "url": "https://news.example.jp/c"},
        {"id": "d", "body": body + "\n別の記事として配信された。", "url": "https://news.example.jp/d"},
    ]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    code, out, err = run("summarize", "--format", "json", str(data))
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "d"]
    assert "dup.jsonl:2: the same URL as" in err and "dup.jsonl:3: the same text as" in err
    assert "dropped 2 duplicate articles (1 by URL, 1 by text)" in err


def test_nothing_done_exit_code(tmp_path):
    code, out, err = run("summarize", str(tmp_path / "nope.txt"))
    assert code == 3 and out == ""


def test_strict_and_debug_raise():
    with pytest.raises(Exception, match="no Japanese text"):
        run("--debug", "summarize", "--strict", "-", stdin=b"English only text here.")


def test_sentences_command():
    code, out, _ = run("sentences", "-", stdin="「雨だ。」と言った。次の文\n【関連記事】\n・見出し".encode())
    assert code == 0
    assert out.splitlines() == ["「雨だ。」と言った。", "次の文", "【関連記事】", "・見出し"]
    code, out, _ = run("sentences", "--kinds", "-", stdin="本文の文。\n【関連記事】".encode())
    assert out.splitlines() == ["body\t本文の文。", "related\t【関連記事】"]


def test_tokens_command():
    code, out, _ = run("tokens", "-", stdin="米国が停戦案を示した。次も。".encode())
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "米国\t名詞-固有名詞-地名-国\t米国"
    assert "示し\t動詞-一般\t示す" in lines
    assert lines.count("EOS") == 2


def test_info_command():
    code, out, _ = run("info")
    assert code == 0
    for name in ("kiku", "fugashi", "unidic-lite", "dictionary", "torch", "transformers"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    assert "unidic_lite" in out


def test_help_lists_the_commands():
    code, out, _ = run("--help")
    assert code == 0
    for command in ("summarize", "sentences", "tokens", "info"):
        assert command in out


def test_help_examples_run():
    # The examples in --help are real: every command in them runs on the shipped articles.
    for line in EPILOG.splitlines():
        line = line.strip()
        if not line.startswith("kiku ") or "article.txt" in line:
            continue
        if line.startswith("kiku summarize") and "--summarizer" not in line:
            continue  # the model example: run by the slow test in test_models.py
        argv = line.split()[1:]
        argv = [str(ROOT / a) if a.startswith("examples/") else a for a in argv]
        stdin = b""
        if "<" in argv:  # kiku summarize - < FILE
            stdin = Path(argv[argv.index("<") + 1]).read_bytes()
            argv = argv[: argv.index("<")]
        code, out, err = run(*argv, stdin=stdin)
        assert code == 0, (line, err)
        assert out


def test_help_does_not_import_torch_or_the_tagger():
    code = (
        "import sys, io; from kiku.cli import main; "
        "main(['--help'], stdout=io.StringIO()); main(['summarize', '--help'], stdout=io.StringIO()); "
        "bad = [m for m in ('torch', 'transformers', 'fugashi', 'ray') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_installed_script_runs():
    script = Path(sys.executable).with_name("kiku")
    if not script.exists():
        pytest.skip("kiku is not installed in this environment (pip install -e .)")
    proc = subprocess.run(
        [str(script), "summarize", "--summarizer", "extractive", str(EXAMPLES / "wikinews.jsonl")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("✅") == 6


def test_a_closed_pipe_is_not_an_error():
    script = Path(sys.executable).with_name("kiku")
    if not script.exists():
        pytest.skip("kiku is not installed in this environment (pip install -e .)")
    many = " ".join([f"'{EXAMPLES}'"] * 60)  # more output than a pipe holds
    proc = subprocess.run(
        f"'{script}' summarize --summarizer extractive {many} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert proc.stdout.count("\n") == 1
    assert "Broken pipe" not in proc.stderr and "Traceback" not in proc.stderr
