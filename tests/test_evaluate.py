"""kiku eval: Japanese ROUGE that matches an independent computation, faithfulness and style
figures, the JSON report, and the quality gate."""

from __future__ import annotations

import io
import json
import os
import statistics

import pytest

from kiku.cli import main
from kiku.config import load_config
from kiku.errors import ConfigError
from kiku.evaluate import EvalRecord, SystemOutput, evaluate, read_eval_records, score_system
from kiku.types import Article

from .conftest import ROOT

GATE = ROOT / "tests" / "data" / "quality_gate.jsonl"
FLOORS = ROOT / "tests" / "data" / "quality_floor.json"


@pytest.fixture(scope="module")
def gate_records():
    records, reference = read_eval_records(str(GATE))
    assert reference == "headline"
    return records


def test_quality_gate(gate_records):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["extractive"]
    [report] = evaluate(gate_records, ["extractive"])
    figures = report.to_dict()
    below = {k: (figures[k], floor) for k, floor in floors.items() if figures[k] < floor}
    assert not below, f"below the floors in {FLOORS.name}: {below}"


def test_rouge_matches_an_independent_computation(gate_records):
    """The same outputs scored by rouge-score with a tokenizer written here from fugashi alone."""
    import fugashi
    import unidic_lite
    import unicodedata
    from rouge_score import rouge_scorer

    raw = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}" -r "{os.path.join(unidic_lite.DICDIR, "mecabrc")}"')

    class Independent:
        def tokenize(self, text):
            text = unicodedata.normalize("NFKC", text)
            return [w.surface for w in raw(text) if w.feature.pos1 not in ("補助記号", "空白")]

    [report] = evaluate(gate_records, ["extractive"])
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=Independent())
    scores = [scorer.score(r.reference, "".join(o.bullets)) for r, o in zip(gate_records, report.outputs)]
    for key in ("rouge1", "rouge2", "rougeL"):
        independent = statistics.fmean(100 * s[key].fmeasure for s in scores)
        assert getattr(report, key) == pytest.approx(independent, abs=0.006)
    lo, hi = report.rouge1_ci
    assert lo <= report.rouge1 <= hi


def test_default_rouge_tokenizer_would_score_japanese_as_nothing(tagger):
    from rouge_score import rouge_scorer

    from kiku.evaluate import JapaneseRougeTokenizer

    reference, output = "政府が経済対策を決定", "政府は新たな経済対策を決定した。"
    default = rouge_scorer.RougeScorer(["rouge1"]).score(reference, output)["rouge1"].fmeasure
    ours = rouge_scorer.RougeScorer(["rouge1"], tokenizer=JapaneseRougeTokenizer(tagger)).score(reference, output)
    assert default == 0.0
    assert ours["rouge1"].fmeasure > 0.5
    assert JapaneseRougeTokenizer(tagger).tokenize("経済対策を、決定。") == ["経済", "対策", "を", "決定"]


def test_faithfulness_and_style_figures(tagger):
    config = load_config()
    article = Article(id="a", body="東京都は10日、新たに300人の感染を確認した。小池知事は外出の自粛を求めた。", title="感染")
    records = [EvalRecord(article, "東京都で300人感染")]
    outputs = [
        SystemOutput(
            "a",
            (
                "東京都は10日、新たに300人の感染を確認した。",  # copied whole, supported
                "大阪府は3000人の感染を確認した。",  # a number and a place not in the article
            ),
        )
    ]
    report = score_system("x", records, outputs, config, tagger)
    assert report.supported == 50.0
    assert report.verbatim == 50.0
    assert report.exactly_three == 0.0
    assert report.ends_with_maru == 100.0
    assert report.rouge1 > 0


def test_eval_command_writes_a_readable_json_report(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "report.json"
    code = main(
        ["eval", str(GATE), "--limit", "5", "--baseline", "lead3", "--summarizer", "extractive", "--json", str(target)],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    table = out.getvalue()
    assert "baseline-lead3" in table and "extractive" in table and "R-1 95% CI" in table
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["reference"] == "headline" and report["articles"] == 5
    assert "fugashi" in report["method"]
    for name in ("baseline-lead3", "extractive"):
        figures = report["systems"][name]
        for key in ("rouge1", "rouge2", "rougeL", "char_rougeL", "supported", "verbatim", "exactly_three", "articles_per_s"):
            assert isinstance(figures[key], (int, float)), key
        assert 0 <= figures["rouge1"] <= 100
    diff = report["comparisons"]["extractive - baseline-lead3"]["rouge1"]
    expected = report["systems"]["extractive"]["rouge1"] - report["systems"]["baseline-lead3"]["rouge1"]
    assert diff["diff"] == pytest.approx(expected, abs=0.02)
    assert diff["ci"][0] <= diff["diff"] <= diff["ci"][1]
    assert "paired difference" in table


def test_missing_references_are_a_clear_error(tmp_path):
    data = tmp_path / "noref.jsonl"
    data.write_text(json.dumps({"id": "x", "body": "本文です。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"noref\.jsonl:1: no reference"):
        read_eval_records(str(data))
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", str(data)], stdout=out, stderr=err) == 2
    assert "no reference" in err.getvalue() and "Traceback" not in err.getvalue()


def test_titles_serve_as_headlines_and_can_be_hidden(tmp_path):
    data = tmp_path / "ld.jsonl"
    record = {"id": "x", "title": "新製品を発表", "body": "A社は10日、新製品を発表した。価格は1万円となる見通しだ。"}
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [r], reference = read_eval_records(str(data))
    assert reference == "headline" and r.reference == "新製品を発表" and r.article.title == "新製品を発表"
    [r], _ = read_eval_records(str(data), hide_title=True)
    assert r.reference == "新製品を発表" and r.article.title is None
