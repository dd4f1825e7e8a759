"""The extractive summarizer and the summarizer registry."""

from __future__ import annotations

import pytest

from kiku.bullets import derived_from
from kiku.config import load_config
from kiku.errors import ArticleError, UnknownSummarizerError
from kiku.ingest import read_inputs
from kiku.runner import Kiku
from kiku.summarizers import available_summarizers, build_summarizer
from kiku.types import Article, Failure, Summary

from .conftest import EXAMPLES

ARTICLE = Article(
    id="ceasefire",
    title="ロシア、停戦案の即時受け入れに難色",
    body=(
        "ロシアのプーチン大統領は13日、米国が提示した30日間の停戦案について、条件を付けたうえで検討する考えを示した。\n"
        "プーチン氏はモスクワで記者会見し、停戦の考え方には賛成だと述べた。\n"
        "そのうえで、停戦期間中にウクライナへの兵器の搬入を止めることなどを求めた。\n"
        "米国のウィトコフ特使は同日、モスクワに到着し、ロシア側と協議した。\n"
        "ウクライナのゼレンスキー大統領は、ロシアが停戦を先延ばしにしていると批判した。\n"
        "米露は今後も協議を続ける方針だ。"
    ),
)


def test_three_bullets_in_document_order(kiku):
    summary = kiku.summarize(ARTICLE)
    assert isinstance(summary, Summary)
    assert summary.summarizer == "extractive"
    assert len(summary.bullets) == 3
    sources = [b.sources[0] for b in summary.bullets]
    assert sources == sorted(sources)
    doc = kiku.document(ARTICLE)
    for b in summary.bullets:
        assert b.article_id == "ceasefire"
        assert b.text.endswith("。") and len(b.text) <= 80
        assert b.evidence == tuple(doc.sentences[i].text for i in b.sources)
        assert derived_from(b.text, b.evidence[0])
    assert summary.notes == ()


def test_the_lead_sentence_that_matches_the_title_is_chosen(kiku):
    summary = kiku.summarize(ARTICLE)
    assert 0 in summary.bullets[0].sources


def test_anaphoric_sentences_are_avoided(kiku):
    # 「そのうえで、…」 only makes sense after the sentence before it.
    texts = [b.text for b in kiku.summarize(ARTICLE).bullets]
    assert not any(t.startswith(("そのうえで", "その上で")) for t in texts)


def test_near_duplicates_are_skipped(kiku):
    body = (
        "東京都は10日、新たに300人の感染を確認したと発表した。\n"
        "東京都は10日、新たに300人の感染を確認したと発表しました。\n"
        "都内の病床使用率は40%に上昇した。\n"
        "小池知事は都民に外出の自粛を呼びかけた。"
    )
    summary = kiku.summarize(Article(id="dup", body=body, title="東京都で300人感染"))
    texts = [b.text for b in summary.bullets]
    assert sum(t.startswith("東京都は10日、新たに300人") for t in texts) == 1


def test_short_articles_get_fewer_bullets_and_say_so(kiku):
    body = "政府は10日、新たな経済対策を閣議決定した。総額は20兆円規模となる見通しだ。"
    summary = kiku.summarize(Article(id="short", body=body))
    assert len(summary.bullets) == 2
    assert summary.notes and "only 2 usable sentences" in summary.notes[0]


def test_article_without_usable_sentences_is_an_error(kiku):
    with pytest.raises(ArticleError, match="no sentence of at least 15 characters"):
        kiku.summarize(Article(id="tiny", body="短い。\n本文なし。"))


def test_bullets_respect_max_chars():
    kiku = Kiku(load_config(overrides=["summary.max_chars=40"]), "extractive")
    for b in kiku.summarize(ARTICLE).bullets:
        assert len(b.text) <= 40
        assert derived_from(b.text, b.evidence[0])


def test_bullet_count_is_configurable():
    kiku = Kiku(load_config(overrides=["summary.bullets=2"]), "extractive")
    assert len(kiku.summarize(ARTICLE).bullets) == 2


def test_registry_lists_valid_names_for_an_unknown_one(config):
    assert "extractive" in available_summarizers()
    with pytest.raises(UnknownSummarizerError, match="unknown summarizer 'abstractive'; choose one of: extractive, lead3"):
        build_summarizer("abstractive", config)


def test_lead3_takes_the_first_usable_sentences():
    summary = Kiku(summarizer="lead3").summarize(ARTICLE)
    assert summary.summarizer == "lead3"
    assert [b.sources[0] for b in summary.bullets] == [0, 1, 2]


def test_examples_give_three_traceable_bullets(kiku):
    summaries = [r for r in kiku.run(read_inputs([str(EXAMPLES)]))]
    assert not [r for r in summaries if isinstance(r, Failure)]
    assert len(summaries) == 6
    for s in summaries:
        assert 2 <= len(s.bullets) <= 3
        for b in s.bullets:
            assert b.text.endswith("。") and len(b.text) <= 80
            assert derived_from(b.text, b.evidence[0])
    # The typhoon article has two real sentences; the rest is a related-news list and citations.
    assert [len(s.bullets) for s in summaries].count(2) == 1


def test_output_is_deterministic(kiku):
    a = [b.text for b in kiku.summarize(ARTICLE).bullets]
    b = [b.text for b in Kiku(summarizer="extractive").summarize(ARTICLE).bullets]
    assert a == b


@pytest.mark.parametrize("name", ["extractive", "lead3"])
def test_every_summarizer_offers_the_batch_protocol(name, config, tagger):
    # Batches are part of the protocol: the runner calls summarize_batch with batch_size
    # articles and never probes for it. An article that cannot be summarised is its error in
    # the list, in its place; the others are the same as one at a time.
    from kiku.errors import ArticleError
    from kiku.text import Preprocessor

    summarizer = build_summarizer(name, config, tagger)
    assert summarizer.name == name and summarizer.batch_size == 1
    assert summarizer.writer is None and summarizer.model is None
    pre = Preprocessor(tagger)
    empty = Article(id="short", body="短い。")
    docs = [pre(ARTICLE), pre(empty), pre(ARTICLE)]
    results = summarizer.summarize_batch(docs)
    assert isinstance(results[1], ArticleError) and results[1].article_id == "short"
    assert results[0] == results[2] == summarizer.summarize(docs[0])


def test_the_sentence_plan_is_public_and_shared(config, tagger):
    # The transformer summarizer chooses its sentences with the extractive plan.
    from kiku.summarizers import ExtractiveSummarizer
    from kiku.text import Preprocessor

    extractive = ExtractiveSummarizer(config, tagger)
    doc = Preprocessor(tagger)(ARTICLE)
    plan = extractive.plan(doc)
    chosen = plan.choose(3)
    assert chosen == sorted(b.sources[0] for b in extractive.summarize(doc).bullets)
    assert not any(plan.redundant(i, [j for j in chosen if j != i]) for i in chosen)
    assert all(extractive.shape(doc, i) for i in chosen)


def test_an_article_whose_sentences_are_all_too_long_still_gets_a_bullet(tmp_path):
    # One long sentence with no clause that can go: once "none of its usable sentences could be
    # shortened"; now the shortest faithful cut, marked and noted.
    import json

    from tests.test_cli import TEXT, run

    long = "国際宇宙ステーションに長期滞在していた日本人宇宙飛行士の若田光一さんら三人を乗せたソユーズ宇宙船が日本時間の今日午前十時すぎにカザフスタンの草原に無事着陸したと宇宙航空研究開発機構が発表した。"
    assert len(long) > 80
    code, out, err = run("summarize", "-", "--format", "json", stdin=("宇宙飛行士が帰還\n\n" + long).encode())
    assert code == 0, err
    record = json.loads(out)
    [bullet] = record["bullets"]
    assert bullet["over_length"] is True and derived_from(bullet["text"], long)
    assert "shortest faithful cut" in record["notes"][0] and "shortest faithful cut" in err
    # An article that fits has no such mark.
    code, out, _ = run("summarize", "-", "--format", "json", stdin=TEXT.encode())
    assert all("over_length" not in b for b in json.loads(out)["bullets"])
