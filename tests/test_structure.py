"""The package's shape: one import name, layers that point one way, one output convention.

These are the promises a user and the next engineer rely on: ``kiku`` is the only top-level
name installed (``python -m kiku`` runs, ``import pipeline`` does not), the engine layer in
``models/`` knows nothing of summaries or digests, every command writes data the same way, and
``-o`` never destroys a previous file or an input.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.test_cli import TEXT, run

# What each layer may import from the rest of kiku (top-level and deferred imports alike).
BASE = {"kiku", "kiku.types", "kiku.errors", "kiku.config", "kiku.vocab", "kiku.identity"}


def _kiku_imports(path: Path) -> set[str]:
    """The kiku modules a source file imports anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kiku":
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "kiku")
    return names


def test_python_dash_m_kiku_is_the_command_line():
    proc = subprocess.run([sys.executable, "-m", "kiku", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "usage: kiku" in proc.stdout and "summarize" in proc.stdout


@pytest.mark.parametrize("name", ["pipeline", "models", "configs"])
def test_generic_names_are_not_installed(name, tmp_path):
    # Outside the checkout only `kiku` is importable: a user's own models.py or pipeline/ can
    # neither shadow Kiku's nor be shadowed by it.
    proc = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode != 0 and "ModuleNotFoundError" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-c", "from kiku import Kiku; import kiku.models, kiku.configs, kiku.summarizers; print(Kiku.__name__)"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "Kiku", proc.stderr


def test_a_built_wheel_holds_the_whole_package(tmp_path):
    # A normal (not editable) install: the wheel maps pipeline/, models/ and configs/ under
    # kiku, with the shipped TOML and JSON files.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if built.returncode != 0 and "No module named" in built.stderr:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1]}")
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("kiku-*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=300)
    assert not (target / "pipeline").exists() and not (target / "models").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import kiku, kiku.configs; from importlib import resources; "
        "print(kiku.__file__); print(sorted(p.name for p in resources.files('kiku.configs').iterdir() if p.suffix in ('.toml', '.json')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    where, files = proc.stdout.splitlines()
    assert where.startswith(str(target))
    assert files == "['default.toml', 'digest.schema.json', 'models.toml']"
    proc = subprocess.run(
        [sys.executable, "-m", "kiku", "summarize", "--summarizer", "extractive", str(EXAMPLES / "wikinews-typhoon.txt")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("猛烈な台風19号") and proc.stdout.count("✅") == 2  # two usable sentences


def test_the_engine_layer_imports_only_config_errors_and_types():
    allowed = {"kiku.config", "kiku.errors", "kiku.types"}
    for path in sorted((ROOT / "models").glob("*.py")):
        imported = {m for m in _kiku_imports(path) if not m.startswith("kiku.models")}
        assert imported <= allowed, f"models/{path.name} imports {sorted(imported - allowed)}"


def test_the_base_modules_import_nothing_above_them():
    for name in ("types", "errors", "config", "vocab", "identity"):
        imported = _kiku_imports(ROOT / "pipeline" / f"{name}.py")
        assert imported <= BASE, f"kiku.{name} imports {sorted(imported - BASE)}"


def test_no_stage_finds_a_collaborator_by_name():
    # Collaborators are handed over (protocols, a registry of factories), never looked up by an
    # import string or probed with getattr.
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "import_module" not in text, path
        assert "getattr(self.summarizer" not in text and "hasattr(self.summarizer" not in text, path


def test_the_command_layer_holds_no_library_logic():
    # Date bounds, format guessing, failure counting and status lines live in the library.
    text = (ROOT / "pipeline" / "cli.py").read_text(encoding="utf-8")
    for needle in ("parse_date", "timedelta", "isinstance(result, Failure)", "failed += 1", "last_run"):
        assert needle not in text, needle


# --------------------------------------------------------------------------------------------
# One output convention: --format and -o everywhere, pure JSON on stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    feeds = folder / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nurl = "{EXAMPLES / "livedoor.jsonl"}"\n', encoding="utf-8")
    db = folder / "kiku.db"
    code, _, err = run("batch", "run", str(feeds), "--store", str(db), "--summarizer", "extractive")
    assert code == 0, err
    return db


def _json_lines(text: str) -> list:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize(
    "argv, parse",
    [
        (["summarize", str(EXAMPLES / "livedoor.jsonl"), "--format", "json"], _json_lines),
        (["digest", "--summarizer", "extractive", str(EXAMPLES / "livedoor.jsonl"), "--format", "json"], json.loads),
        (["eval", str(ROOT / "tests" / "data" / "quality_gate.jsonl"), "--limit", "3", "--format", "json"], json.loads),
    ],
    ids=["summarize", "digest", "eval"],
)
def test_json_on_stdout_is_only_json(argv, parse):
    code, out, err = run(*argv)
    assert code == 0, err
    assert parse(out)  # nothing but JSON: a table or a message would not parse
    if argv[0] == "eval":
        assert "R-1" in err  # the table goes to stderr for a person watching


def test_batch_status_and_export_write_json_and_files(store, tmp_path):
    code, out, err = run("batch", "status", "--store", str(store), "--summarizer", "extractive", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["summarised"] == 3
    # The old flag still works.
    assert json.loads(run("batch", "status", "--store", str(store), "--summarizer", "extractive", "--json")[1]) == json.loads(out)
    target = tmp_path / "status.txt"
    code, out, err = run("batch", "status", "--store", str(store), "--summarizer", "extractive", "-o", str(target))
    assert code == 0 and out == ""
    assert "3 summarised" in target.read_text(encoding="utf-8")
    exported = tmp_path / "export.jsonl"
    code, out, _ = run("batch", "export", "--store", str(store), "-o", str(exported))
    assert code == 0 and out == ""
    records = _json_lines(exported.read_text(encoding="utf-8"))
    livedoor = _json_lines(run("summarize", str(EXAMPLES / "livedoor.jsonl"), "--format", "json")[1])
    assert [r["id"] for r in records] == [r["id"] for r in livedoor]
    # As text: the blocks kiku summarize writes.
    code, text, _ = run("batch", "export", "--store", str(store), "--format", "text")
    summarized = run("summarize", str(EXAMPLES / "livedoor.jsonl"))[1]
    assert code == 0 and text.count("✅") == summarized.count("✅") == 9
    assert text.split("\n")[0] == summarized.split("\n")[0]


def test_eval_writes_its_report_with_o(tmp_path):
    target = tmp_path / "report.json"
    code, out, err = run("eval", str(ROOT / "tests" / "data" / "quality_gate.jsonl"), "--limit", "3", "--format", "json", "-o", str(target))
    assert code == 0, err
    assert out == "" and json.loads(target.read_text(encoding="utf-8"))["articles"] == 3
    # The deprecated --json FILE: the table on stdout, the report in the file, and a warning.
    code, out, err = run("eval", str(ROOT / "tests" / "data" / "quality_gate.jsonl"), "--limit", "3", "--json", str(target))
    assert code == 0 and "R-1" in out and "deprecated" in err
    assert json.loads(target.read_text(encoding="utf-8"))["articles"] == 3


@pytest.mark.parametrize("command", ["summarize", "digest", "sentences"])
def test_a_failed_run_leaves_the_previous_output_file(command, tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("the previous digest\n", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    argv = [command, str(bad), "-o", str(target)]
    if command != "sentences":
        argv[1:1] = ["--summarizer", "extractive"]
    code, out, err = run(*argv)
    assert code == 3, err
    assert target.read_text(encoding="utf-8") == "the previous digest\n"
    assert {p.name for p in tmp_path.iterdir()} == {"out.txt", "empty.txt"}  # no temporary file left


def test_a_successful_run_replaces_the_output_file_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n" * 1000, encoding="utf-8")
    code, _, err = run("summarize", "-", "-o", str(target), stdin=TEXT.encode())
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("ロシア、停戦案") and "old" not in text
    assert {p.name for p in tmp_path.iterdir()} == {"out.txt"}  # no temporary file left


def test_o_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    code, out, err = run("summarize", str(article), "-o", str(article))
    assert code == 2 and "one of the inputs" in err
    assert article.read_text(encoding="utf-8") == TEXT


def test_the_digest_format_follows_the_output_suffix(tmp_path):
    page = tmp_path / "draft.html"
    code, _, err = run("digest", "--summarizer", "extractive", str(EXAMPLES / "livedoor.jsonl"), "-o", str(page))
    assert code == 0, err
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------------------------
# One vocabulary


def test_one_cache_folder_for_models_and_pages(monkeypatch, tmp_path):
    from kiku.config import cache_root, load_config
    from kiku.fetch import _cache_dir

    monkeypatch.delenv("KIKU_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "kiku"
    assert _cache_dir(load_config().input) == tmp_path / "xdg" / "kiku" / "http"
    monkeypatch.setenv("KIKU_CACHE", str(tmp_path / "own"))
    assert cache_root() == tmp_path / "own"
    assert _cache_dir(load_config().input) == tmp_path / "own" / "http"


def test_eval_and_the_checker_agree_on_what_is_supported(tagger, config):
    # 1万5000 and 15,000 are one number: neither the checker nor kiku eval may call it unsupported.
    from kiku.check import Checker, unsupported
    from kiku.evaluate import EvalRecord, SystemOutput, score_system
    from kiku.types import Article

    source = "今年の祭りには15,000人が訪れた。"
    bullet = "今年の祭りには1万5000人が訪れた。"
    assert unsupported(bullet, source, tagger) == []
    assert Checker(tagger, max_chars=80, min_chars=5).check(bullet, [source]).ok
    record = EvalRecord(Article(id="a", body=source), "祭りに1万5000人")
    report = score_system("x", [record], [SystemOutput("a", (bullet,))], config, tagger)
    assert report.supported == 100.0
    assert unsupported("祭りには2万人が訪れた。", source, tagger) == ["20000"]
