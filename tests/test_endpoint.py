"""The model on an OpenAI-compatible server: requests, retries, failures, and what the records
say. Against a real HTTP server on 127.0.0.1 (tests/chat_server.py)."""

from __future__ import annotations

import io
import json
import socket

import pytest

from kiku.config import load_config
from kiku.models.endpoint import chat_url, public_url, retry_after
from kiku.render import summary_json
from kiku.runner import Kiku
from kiku.types import Summary
from tests.chat_server import ChatServer
from tests.conftest import EXAMPLES


def _kiku(tagger, url: str, *extra: str) -> Kiku:
    overrides = [f'model.endpoint="{url}"', 'model.preset="served-model"', "model.endpoint_retries=1", *extra]
    return Kiku(load_config((), overrides), "transformer", tagger=tagger)


def _run(kiku: Kiku) -> list:
    return list(kiku.run_inputs([str(EXAMPLES)]))


def test_urls():
    assert chat_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/v1/chat/completions"
    assert chat_url("http://127.0.0.1:8000/v1/") == "http://127.0.0.1:8000/v1/chat/completions"
    assert chat_url("https://api.example.jp/v1/chat/completions") == "https://api.example.jp/v1/chat/completions"
    assert chat_url("http://host:11434/api/v1") == "http://host:11434/api/v1/chat/completions"
    assert public_url("https://user:secret@api.example.jp:8443/v1/chat/completions") == "https://api.example.jp:8443/v1/chat/completions"
    assert retry_after("3") == 3.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: no wait
    assert retry_after("soon") is None
    with pytest.raises(Exception, match="http"):
        load_config((), ['model.endpoint="127.0.0.1:8000"'])


def test_answers_are_checked_and_recorded(tagger, monkeypatch):
    monkeypatch.setenv("KIKU_API_KEY", "sk-test")
    with ChatServer() as server:
        results = _run(_kiku(tagger, server.url))
    summaries = [r for r in results if isinstance(r, Summary)]
    assert len(summaries) == len(results) == 6
    headers, body, _ = server.requests[0]
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "served-model" and body["temperature"] == 0
    assert body["messages"][0]["role"] == "system"
    bullets = [b for s in summaries for b in s.bullets]
    # The server copies each sentence: those that fit are the model's, the others are refused
    # for their length and replaced, carrying what the server wrote and why.
    assert {b.origin for b in bullets} == {"model", "extractive"}
    for b in bullets:
        assert b.origin == "model" or (b.replaced and b.reason == "longer than 80 characters")
    record = json.loads(summary_json(summaries[0], load_config()))
    assert record["endpoint"] == f"{server.url}/chat/completions"
    assert record["model"] == "served-model"


def test_served_model_when_none_is_named(tagger):
    with ChatServer() as server:
        kiku = Kiku(load_config((), [f'model.endpoint="{server.url}"']), "transformer", tagger=tagger)
        summary = kiku.summarize_text("政府は14日、来年度の予算案を閣議決定した。総額は過去最大の115兆円となる。", "予算案を閣議決定")
    assert summary.model == "tiny-server-model"
    assert server.requests[-1][1]["model"] == "tiny-server-model"


def test_invented_facts_are_refused(tagger):
    """Free writing is checked: a number and a name the article does not have never pass."""
    with ChatServer(default="say:鈴木首相は来年度の予算案を3兆円減らすと発表した。") as server:
        summary = _kiku(tagger, server.url).summarize_text(
            "政府は14日、来年度の予算案を閣議決定した。総額は過去最大の115兆円となる。防衛費も過去最大となった。", "予算案を閣議決定"
        )
    assert all(b.origin == "extractive" for b in summary.bullets)
    assert {b.replaced for b in summary.bullets} == {"鈴木首相は来年度の予算案を3兆円減らすと発表した。"}
    assert all(b.reason.startswith(("numbers not in the source", "names not in the source", "words not in the source")) for b in summary.bullets)


def test_a_deletion_is_held_to_the_deletion_checks(tagger):
    """A server's line that only deletes words meets the same structural checks as constrained
    decoding: here the speaker is cut off the view that was his."""
    source = "ポンペオ国務長官は記者会見で、ヨルダン川西岸の地位は当事者が交渉すべきものとの見解を示した。"
    with ChatServer(default="say:ヨルダン川西岸の地位は当事者が交渉すべきものとの見解を示した。") as server:
        summary = _kiku(tagger, server.url).summarize_text(source + "会見は国務省で開かれた。", "国務長官が見解")
    assert summary.bullets[0].origin == "extractive"
    assert summary.bullets[0].reason


@pytest.mark.parametrize(
    ("plan", "why"),
    [
        (["500"] * 2, "HTTP 500"),
        (["garbage"] * 2, "malformed answer"),
        (["empty"] * 2, "malformed answer"),
    ],
)
def test_a_failing_request_fails_its_article_only(tagger, plan, why):
    """The first article's request fails (twice: once and its retry); it gets extractive
    bullets with a note saying why, and every other article is the model's as usual."""
    with ChatServer(plan=plan) as server:
        kiku = _kiku(tagger, server.url, 'model.prompts="article"', "model.endpoint_parallel=1")
        results = _run(kiku)
    assert all(isinstance(r, Summary) for r in results) and len(results) == 6
    fell_back = [r for r in results if any("extractive bullets only" in n for n in r.notes)]
    assert len(fell_back) == 1
    assert why in fell_back[0].notes[-1]
    assert all(b.reason.startswith("model not used") for b in fell_back[0].bullets)
    assert any(b.origin == "model" for r in results for b in r.bullets)


def test_429_waits_as_told(tagger):
    with ChatServer(plan=["429"]) as server:
        summary = _kiku(tagger, server.url, 'model.prompts="article"').summarize_text(
            "政府は14日、来年度の予算案を閣議決定した。総額は過去最大の115兆円となる。", "予算案を閣議決定"
        )
    (_, _, first), (_, _, second) = server.requests[:2]
    assert second - first >= 0.9  # Retry-After: 1
    assert any(b.origin == "model" for b in summary.bullets)


def test_a_slow_server_times_out(tagger):
    with ChatServer(default="slow", slow_s=3.0) as server:
        kiku = _kiku(tagger, server.url, "model.endpoint_timeout_s=0.5", "model.endpoint_retries=0")
        summary = kiku.summarize_text("政府は14日、来年度の予算案を閣議決定した。総額は過去最大の115兆円となる。", "予算案を閣議決定")
    assert summary.bullets and all(b.origin == "extractive" for b in summary.bullets)
    assert "no answer within 0.5 s" in summary.notes[-1]


def test_server_down_mid_run_loses_nothing(tagger):
    """The server answers the first requests, then goes away: every article still has bullets,
    the run says so in one line, and it does not wait out each request's retries."""
    server = ChatServer()
    server.thread.start()
    kiku = _kiku(tagger, server.url, 'model.prompts="article"', "model.endpoint_parallel=1", "model.endpoint_retries=2")
    kiku.summarizer.batch_size = 1  # one article a batch, so that the server can go between two
    results = []
    for n, result in enumerate(kiku.run_inputs([str(EXAMPLES)])):
        results.append(result)
        if n == 1:
            server.stop()
    assert len(results) == 6 and all(isinstance(r, Summary) for r in results)
    assert any(b.origin == "model" for b in results[0].bullets)
    later = results[3:]
    assert all("cannot reach" in r.notes[-1] for r in later)
    assert all(b.origin == "extractive" for r in later for b in r.bullets)


def test_cli_endpoint(tmp_path):
    from kiku.cli import main

    with ChatServer() as server:
        out, err = io.StringIO(), io.StringIO()
        code = main(["summarize", str(EXAMPLES / "wikinews.jsonl"), "--endpoint", server.url, "--model", "m", "--format", "json"], stdout=out, stderr=err)
    assert code == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records and {r["endpoint"] for r in records} == {f"{server.url}/chat/completions"}
    assert {r["model"] for r in records} == {"m"}


def test_cli_unreachable_endpoint_warns_once(tmp_path):
    from kiku.cli import main

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["summarize", str(EXAMPLES), "--endpoint", f"http://127.0.0.1:{port}/v1", "--model", "m", "--set", "model.endpoint_retries=0"],
        stdout=out, stderr=err,
    )
    assert code == 0
    assert out.getvalue().count("✅") >= 15
    warnings = [line for line in err.getvalue().splitlines() if "cannot reach" in line and "requests got no usable answer" in line]
    assert len(warnings) == 1


def test_digest_writing_keeps_one_whole_sentence_and_its_own_hedges(tagger):
    """The digest's writer through a server: a model that goes on past its one sentence, or is
    cut off mid-number, is held to its first whole sentence; a line keeps the hedges of the
    sentences it restates (not of every sentence it was shown); a line that repeats a card's
    bullet is refused."""
    material = [
        "気象庁によると、北海道東部で14日朝に震度5弱の地震があった。",
        "JR花咲線は午後3時すぎに全線で運転を再開した。",
    ]
    said = "say:JR花咲線は地震の後、午後3時すぎに運転を再開した。運休は計4"
    with ChatServer(default=said) as server:
        writer = _kiku(tagger, server.url).summarizer.writer
        written = writer.write("一文で答えてください。", material)
        assert written.text == "JR花咲線は地震の後、午後3時すぎに運転を再開した。"
        refused = writer.write("一文で答えてください。", material, others=["JR花咲線は午後3時すぎに運転を再開した。"])
        assert refused.text is None and refused.reason == "repeats another bullet"
    with ChatServer(default="say:北海道東部で14日朝に震度5弱の地震があった。") as server:
        written = _kiku(tagger, server.url).summarizer.writer.write("一文で答えてください。", material)
    assert written.text is None and "によると" in written.reason


def test_every_prose_line_of_a_digest_is_asked_checked_and_recorded(tagger):
    """With a model (here a server), the digest's title, lead, headings, answers, questions,
    bridging lines and 💡 points are the model's when they pass their checks, each recorded
    with its support; a refused line gives way to the fallback and records why; a lead keeps
    its sentences before the first refused one; a question is asked for the answer that stands."""
    from pathlib import Path

    from kiku.digest import DigestOptions
    from kiku.ingest import read_inputs
    from kiku.render import digest_record, to_markdown
    from kiku.types import Article

    said = {
        "見出し": "北海道東部の地震",
        "最も大きな出来事": "ＪＲ花咲線は午後3時すぎに全線で運転を再開した。",
        "質問": "ＪＲ花咲線はいつ運転を再開した？",
        "題名": "北海道東部で震度5弱、花咲線が運転再開",
        "紹介文": "14日朝、北海道東部で震度5弱の地震があった。ＪＲ花咲線は午後3時すぎに全線で運転を再開した。地震によるけが人は、釧路市などで12人にのぼった。",
        "記事Aと記事B": "釧路市で震度5弱を観測した地震で、ＪＲ花咲線は午後3時すぎに運転を再開した。",
        "言えること": "植田和男総裁は会見で好循環を慎重に見極めたいと述べ、円相場はやや円安に振れた。",
    }
    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    with ChatServer(answers=said) as server:
        kiku = _kiku(tagger, server.url, 'digest.writing="free"')
        digest = kiku.digest(articles, DigestOptions(bridges=True))
    record = digest_record(digest)
    from kiku.check import Checker

    # Numbers, names and runs of nouns of every model line stand in its recorded support.
    checker = Checker(tagger, max_chars=200, min_chars=1)
    quake, boj = record["sections"][0], record["sections"][1]
    assert record["title"]["written_by"] == "model" and record["title"]["text"] == said["題名"].rstrip("。")
    # The lead: the first sentence passes; the second says what the section's answer says
    # (and the third states a number no article gives).
    assert record["lead"]["written_by"] == "model"
    assert record["lead"]["text"] == "14日朝、北海道東部で震度5弱の地震があった。"
    assert record["lead"]["replaced"] == {"model_text": said["紹介文"], "reason": "repeats another bullet"}
    assert quake["heading"] == {**quake["heading"], "text": "北海道東部の地震", "written_by": "model"}
    assert quake["answer"]["written_by"] == "model" and quake["answer"]["text"] == said["最も大きな出来事"]
    assert quake["question"]["written_by"] == "model" and quake["question"]["text"] == said["質問"]
    # Another section: the same words are not in its articles — refused, with the reason.
    assert boj["heading"]["written_by"] == "extractive" and boj["heading"]["replaced"]["reason"].startswith("words not in the source")
    assert boj["answer"]["written_by"] == "extractive" and boj["answer"]["replaced"]["model_text"] == said["最も大きな出来事"]
    # …and its question is built from the answer that stands.
    assert boj["question"]["written_by"] == "template" and boj["question"]["support"] == boj["answer"]["support"]
    # Bridges: only where both articles support the line; after the first card.
    written = [b for b in quake["bridges"] if b["text"]]
    assert [b["after"] for b in written] == [1] and written[0]["written_by"] == "model"
    assert {s["article"] for s in written[0]["support"]} == {a["id"] for a in quake["articles"][:2]}
    # A refused bridge is on record, empty, with the reason.
    assert [b["after"] for b in quake["bridges"]] == [1, 2] and quake["bridges"][1]["replaced"]["reason"]
    assert [b["text"] for b in boj["bridges"]] == [""]
    assert "→" not in to_markdown(digest).split("## 2.")[1].split("## 3.")[0]
    # The point the server gives is the 日銀 section's own fact: written there, refused elsewhere.
    points = {p["section"]: p for p in record["points"]}
    assert points[2]["written_by"] == "model" and points[2]["text"] == said["言えること"]
    assert points[1]["written_by"] == "extractive" and points[1]["replaced"]["model_text"] == said["言えること"]
    # Every model line passes the checks against the sentences it records as support.
    lines = [record["title"], record["lead"], *record["points"]]
    lines += [x for s in record["sections"] for x in (s["heading"], s["question"], s["answer"], *s["bridges"])]
    for line in lines:
        if line["written_by"] == "model":
            support = [t for sp in line["support"] for t in sp["sentences"]]
            assert support, line
            verdict = checker.check(line["text"], support, hedges=False, compounds=True, negation=False)
            assert verdict.ok, (line, verdict)


def test_a_heading_is_made_of_the_articles_words_and_a_lead_does_not_repeat_itself(tagger):
    from kiku.types import WriteRequest

    material = ("日銀、政策金利を据え置き", "日本銀行は14日まで開いた金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。")
    short = "日本銀行は政策金利を0.5％程度に据え置くことを決めた。"
    said = {
        "見出し": "政策金利を置き",
        "リード1": short + short.replace("日本銀行は", "日銀は"),
        "リード2": material[1],
        "質問": "日本銀行は政策金利を据え置くことを決めた？",
    }
    with ChatServer(answers=said) as server:
        writer = _kiku(tagger, server.url).summarizer.writer
        heading, repeated, copied, question = writer.write_many([
            WriteRequest("見出しを書いてください。", material, "heading"),
            WriteRequest("リード1を書いてください。", material, "lead"),
            WriteRequest("リード2を書いてください。", material, "lead"),
            WriteRequest("質問を書いてください。", material, "question"),
        ])
    assert heading.text is None and heading.reason == "words not in the source: 置き"  # 置き cut from 据え置き
    assert repeated.text == short and repeated.reason == "repeats another bullet"
    assert copied.text is None and copied.reason == "copies a source sentence"
    assert question.text is None and question.reason == "not a question"  # a statement with ？ asks nothing


def test_a_line_cut_after_a_names_exclamation_mark_is_not_a_sentence(tagger):
    from kiku.types import WriteRequest

    material = ("海外用スマートWi-Ho!は通常より17％OFFの1日1,000円／台となっている。", "「夏の渡航シーズン」キャンペーンが実施された。")
    cut = "「夏の渡航シーズン」キャンペーンが実施され、海外用スマートWi-Ho!"
    with ChatServer(answers={"一文": cut}) as server:
        written = _kiku(tagger, server.url).summarizer.writer.write_many([WriteRequest("一文で書いてください。", material)])[0]
    assert written.text is None and written.reason == "not a whole sentence" and written.raw == cut


def test_a_bridge_relates_its_two_articles(tagger):
    from kiku.types import WriteRequest

    material = ("KDDI、auスマートパスで映画・音楽が楽しみ放題に　新サービス開始", "KDDIは新サービスを発表した。", "関西KDDIの強さの秘密", "KDDIは大阪で発表会を開いた。")
    labels = ("記事A", "記事A", "記事B", "記事B")
    said = {"つなぐ1": "KDDI、auスマートパスで映画・音楽が楽しみ放題に！", "つなぐ2": "KDDIは新サービスを発表し、大阪で発表会を開いた。"}
    with ChatServer(answers=said) as server:
        one, both = _kiku(tagger, server.url).summarizer.writer.write_many(
            [WriteRequest("つなぐ1", material, labels=labels), WriteRequest("つなぐ2", material, labels=labels)]
        )
    assert one.text is None and one.reason == "does not relate its articles"  # one article's headline
    assert both.text == said["つなぐ2"]


def test_with_digest_writing_cut_a_line_is_cut_from_its_sentence_and_checked_as_a_deletion(tagger):
    """With ``digest.writing = "cut"`` an answer or 💡 point is the model's cut of the sentence
    its line without a model shortens, deleting words as for a bullet (not asked freely): a cut
    that passes a bullet's checks of a deletion is the model's line and rests on that one
    sentence; a cut that gives a number to another owner (委員９人のうち１人が… → 委員９人が…) is
    refused and the sentence without a model stands. With "free" (the default) nothing is cut."""
    from pathlib import Path

    from kiku.digest import DigestOptions
    from kiku.ingest import read_inputs
    from kiku.render import digest_record
    from kiku.types import Article

    refused = "北海道東部で震度5弱の地震があり、けが人は12人だった。"  # a number no article gives
    expo = "協会は混雑を和らげるため、夕方以降に入場できる割安な券の販売を増やす方針だ。"
    vote = "会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。"
    cuts = {expo: "協会は割安な券の販売を増やす方針だ。", vote: "会合では委員９人が利上げを提案したが、否決された。"}
    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    for writing in ("free", "cut"):
        with ChatServer(answers={"最も大きな出来事": refused, "言えること": refused}, cuts=cuts) as server:
            digest = _kiku(tagger, server.url, f'digest.writing="{writing}"').digest(articles, DigestOptions())
            asked = [body["messages"][-1]["content"] for _, body, _ in server.requests]
        record = digest_record(digest)
        answers = {s["heading"]["text"]: s["answer"] for s in record["sections"]}
        answer = next(a for a in answers.values() if a["support"] and a["support"][0]["sentences"] == [expo])
        point = next(p for p in record["points"] if p["support"][0]["sentences"] == [vote])
        assert point["written_by"] == "extractive" and point["text"] == vote
        if writing == "free":
            assert answer["written_by"] == "extractive" and answer["replaced"]["reason"].startswith("numbers not in the source")
            assert point["replaced"]["reason"].startswith("numbers not in the source")
            assert any("最も大きな出来事" in a and expo in a for a in asked)
            assert not any(cuts[expo] in a for a in asked)
        else:
            assert answer["text"] == cuts[expo] and answer["written_by"] == "model"
            assert answer["support"] == [{"article": "expo", "sentences": [expo]}]
            assert point["replaced"] == {"model_text": cuts[vote], "reason": "drops the subject of a predicate it keeps (うち1人)"}
            # (a section with no sentence to cut from is still asked freely)
            assert not any(("最も大きな出来事" in a or "言えること" in a) and (expo in a or vote in a) for a in asked)
        # Whoever wrote the other answers, each stands alone and repeats no card's bullet.
        bullets = [b["text"] for s in record["sections"] for a in s["articles"] for b in a["bullets"]]
        assert not any(a["text"] in bullets for a in answers.values() if a["text"])


def test_a_question_that_points_back_is_refused(tagger):
    """A section's question is read before its answer: この地震で何が起きた？ points to nothing
    yet, and the question built from the answer stands."""
    from pathlib import Path

    from kiku.digest import DigestOptions
    from kiku.ingest import read_inputs
    from kiku.render import digest_record
    from kiku.types import Article

    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    with ChatServer(answers={"質問": "この地震で何が起きた？"}) as server:
        record = digest_record(_kiku(tagger, server.url, 'digest.writing="free"').digest(articles, DigestOptions()))
    quake = record["sections"][0]["question"]  # (in the other sections 地震 is not in the source)
    assert quake["replaced"] == {"model_text": "この地震で何が起きた？", "reason": "does not stand alone"}
    assert quake["written_by"] == "template" and quake["text"] == "地震で何が起きた？"
    assert not any(s["question"]["text"].startswith("この") for s in record["sections"])


def test_a_cut_line_takes_the_first_of_its_sources_whose_cut_passes(tagger):
    """An answer or 💡 point has up to three sentences to be cut from, best first, all cut in one
    call: a refused cut of the first (a number given to another owner) leaves the line to the
    cut of the next, which rests on that sentence alone; when several pass, the first stands and
    the others are kept as alternatives, in order."""
    from kiku.types import WriteRequest

    vote = "会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。"
    expo = "協会は混雑を和らげるため、夕方以降に入場できる割安な券の販売を増やす方針だ。"
    rail = "ＪＲ北海道は１０日、釧路と根室を結ぶ花咲線の運転を全線で再開したと発表した。"
    cuts = {vote: "会合では委員９人が利上げを提案したが、否決された。", expo: "協会は割安な券の販売を増やす方針だ。", rail: "ＪＲ北海道は花咲線の運転を全線で再開したと発表した。"}
    with ChatServer(cuts=cuts) as server:
        kiku = _kiku(tagger, server.url, 'digest.writing="cut"')
        second, first = kiku.summarizer.writer.write_many(
            [WriteRequest("答え", (vote, expo, rail), sources=(vote, expo, rail)), WriteRequest("答え", (rail, expo), sources=(rail, expo))]
        )
    assert second.text == cuts[expo] and second.cut_from == (expo,)
    assert [a.text for a in second.also] == [cuts[rail]] and second.also[0].cut_from == (rail,)
    assert first.text == cuts[rail] and first.cut_from == (rail,) and [a.text for a in first.also] == [cuts[expo]]


def test_an_answer_refused_as_a_cut_of_its_best_sentence_is_cut_from_the_next(tagger):
    """The Bank of Japan section's best line no card shows is cut into a wrong rate (refused);
    the next line's cut is the model's answer, resting on its own sentence."""
    from pathlib import Path

    from kiku.digest import DigestOptions
    from kiku.ingest import read_inputs
    from kiku.render import digest_record
    from kiku.types import Article

    best = "日本銀行は14日まで開いた金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。"
    vote = "会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。"
    cuts = {best: "日本銀行は政策金利を1％程度に据え置くことを決めた。", vote: "委員９人のうち１人が利上げを提案したが、否決された。"}
    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    with ChatServer(cuts=cuts) as server:
        record = digest_record(_kiku(tagger, server.url, 'digest.writing="cut"').digest(articles, DigestOptions()))
    answer = next(s["answer"] for s in record["sections"] if any(a["id"] == "boj-a" for a in s["articles"]))
    assert answer["text"] == cuts[vote] and answer["written_by"] == "model"
    assert answer["support"] == [{"article": "boj-a", "sentences": [vote]}]


def test_with_digest_writing_cut_a_heading_with_no_title_to_cut_is_written_freely(tagger):
    """A heading is cut from a title only when the title is too long to be one; a section whose
    titles are short enough already (大雪で東海道新幹線が一時運転見合わせ) asks the model for its
    heading over the titles and bullets, checked as free writing; a long title is still cut."""
    from pathlib import Path

    from kiku.digest import DigestOptions
    from kiku.ingest import read_inputs
    from kiku.render import digest_record
    from kiku.types import Article

    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    with ChatServer(answers={"見出し": "東海道新幹線の運転見合わせ"}) as server:
        record = digest_record(_kiku(tagger, server.url, 'digest.writing="cut"').digest(articles, DigestOptions()))
        asked = [body["messages"][-1]["content"] for _, body, _ in server.requests]
    snow = next(s for s in record["sections"] if any(a["id"] == "snow" for a in s["articles"]))
    assert snow["heading"]["text"] == "東海道新幹線の運転見合わせ" and snow["heading"]["written_by"] == "model"
    assert any("見出し" in a and "大雪で東海道新幹線が一時運転見合わせ" in a for a in asked)
    # the council's title is too long for a heading: it is cut, not asked for freely
    assert any(a.startswith("文1: 市議会、子ども医療費の無料化") for a in (x.split("\n")[-1] for x in asked))
    assert not any("見出し" in a and "子ども医療費" in a for a in asked)


def test_a_heading_written_freely_is_also_cut_from_its_longer_titles(tagger):
    """A heading whose first title is short enough is written freely, and the request's other
    titles that are too long to stand are cut in the same call: the free heading first, else
    the first cut that passes (it rests on the title it was cut from)."""
    from kiku.models.prompts import DIGEST_HEADING
    from kiku.types import WriteRequest

    short = "花咲線が運転再開"
    long = "北海道東部で震度5弱の地震、JR花咲線は午後3時すぎに全線で運転を再開"
    request = WriteRequest(DIGEST_HEADING, (short, long), "heading", sources=(short, long))
    cuts = {long: "JR花咲線は全線で運転を再開"}
    with ChatServer(answers={"見出し": "北海道東部地震の影響"}, cuts=cuts) as server:  # a compound of its own
        (written,) = _kiku(tagger, server.url, 'digest.writing="cut"').summarizer.writer.write_many([request])
    assert written.text == "JR花咲線は全線で運転を再開" and written.cut_from == (long,)
    with ChatServer(answers={"見出し": "花咲線の運転再開"}, cuts=cuts) as server:
        (written,) = _kiku(tagger, server.url, 'digest.writing="cut"').summarizer.writer.write_many([request])
    assert written.text == "花咲線の運転再開" and written.cut_from == () and [w.text for w in written.also] == ["JR花咲線は全線で運転を再開"]


def test_a_question_may_ask_how_much_or_who_its_answer_says(tagger):
    """いくら and 誰 are the question's own words, as 何 is: not words missing from the source
    (価格はいくら？ of 価格は16,480円となっています。 was refused for いくら); a question
    that asks for what its answer does not give is still refused."""
    from kiku.models.prompts import digest_question
    from kiku.types import WriteRequest

    price, teacher = "価格は16,480円となっています。", "講師はSUPER GTで活躍する現役レーサーの柳田真孝氏だ。"
    said = {"16,480円": "価格はいくら？", "柳田真孝": "現役レーサーの講師は誰？"}
    with ChatServer(answers=said) as server:
        writer = _kiku(tagger, server.url).summarizer.writer
        how_much, who = writer.write_many([WriteRequest(digest_question(a), (a,), "question") for a in (price, teacher)])
    assert how_much.text == "価格はいくら？" and who.text == "現役レーサーの講師は誰？"
    with ChatServer(answers={"柳田真孝": "現役レーサーの講師はいくら？"}) as server:
        (wrong,) = _kiku(tagger, server.url).summarizer.writer.write_many([WriteRequest(digest_question(teacher), (teacher,), "question")])
    assert wrong.text is None and "いくら" in wrong.reason


def test_every_worked_example_passes_the_checks_of_its_kind(tagger):
    """The digest prompts' worked examples are what the model copies: each, written by the
    model for its own example prompt, passes the checks its kind's lines face (a heading
    example coining 九州上陸 of 九州南部に上陸 taught the model to coin refused compounds)."""
    from kiku.models.prompts import DIGEST_ANSWER, DIGEST_BRIDGE, DIGEST_HEADING, DIGEST_HEADING_PICKED, DIGEST_LEAD, DIGEST_POINT, DIGEST_TITLE
    from kiku.models.prompts import QUESTION_WAYS, digest_examples, digest_question
    from kiku.types import WriteRequest

    kinds = {DIGEST_HEADING: "heading", DIGEST_ANSWER: "sentence", DIGEST_POINT: "sentence", DIGEST_TITLE: "title", DIGEST_LEAD: "lead", DIGEST_BRIDGE: "sentence"}
    requests, lines = [], []
    for instruction, kind in kinds.items():
        ((shown, material, labels, line),) = digest_examples(instruction)
        requests.append(WriteRequest(shown, material, kind, labels=labels, max_chars=60 if kind == "sentence" else 0))
        lines.append(line)
    for way in range(QUESTION_WAYS):
        for shown, _, _, line in digest_examples(digest_question("", way)):
            requests.append(WriteRequest(shown, (shown.split("答え: ")[1],), "question"))
            lines.append(line)
    for shown, material, _, line in digest_examples(DIGEST_HEADING_PICKED):
        requests.append(WriteRequest(shown, material, "heading"))
        lines.append(line)
    assert len(requests) == 6 + 14 + 3
    for request, line in zip(requests, lines):
        # the server says the example's line to its prompt (the last message is the request's own)
        with ChatServer(answer=line) as server:
            (written,) = _kiku(tagger, server.url).summarizer.writer.write_many([request])
        assert written.text == line, (line, written.reason)


def test_a_question_is_asked_each_way_and_the_first_that_passes_stands(tagger):
    """A question is asked in every way at once (one call): the first way's question is refused
    here (a predicate its answer does not have), the second way's stands, the third's is kept as
    an alternative; the request carries the other ways as its variants."""
    from kiku.models.prompts import QUESTION_WAYS, digest_question
    from kiku.types import WriteRequest

    answer = "個人ユーザーが、購入する場合、1台単位で購入することになる。"
    said = {"置き換えて": "個人ユーザーは購入する場合、何が変わる？", "一つの語句だけ": "個人ユーザーは何台単位で購入する？", "合う質問": "購入は何台単位？"}
    ways = [digest_question(answer, way) for way in range(QUESTION_WAYS)]
    with ChatServer(answers=said) as server:
        writer = _kiku(tagger, server.url).summarizer.writer
        (written,) = writer.write_many([WriteRequest(ways[0], (answer,), "question", variants=tuple(ways[1:]))])
        asked = [body["messages"][-1]["content"] for _, body, _ in server.requests]
    assert len(asked) == 3 and all(a.endswith(f"答え: {answer}") for a in asked)
    assert written.text == "個人ユーザーは何台単位で購入する？"
    assert [w.text for w in written.also] == ["購入は何台単位？"]
    # all refused: the first way's refusal is the one recorded
    with ChatServer(answers={"答え": "個人ユーザーは購入する場合、何が変わる？"}) as server:
        (refused,) = _kiku(tagger, server.url).summarizer.writer.write_many([WriteRequest(ways[0], (answer,), "question", variants=tuple(ways[1:]))])
    assert refused.text is None and refused.reason == "asks with a predicate its answer does not have: 変わる"


def test_whether_is_not_a_question_word(tagger):
    """どうか (whether) holds どう but asks nothing: a line that ends in ？ after it is not a
    question (a held-out digest had 法務省は処分を行うべきどうかを？)."""
    from kiku.models.prompts import digest_question
    from kiku.types import WriteRequest

    answer = "法務省は、処分を行うべきかどうかを検討することにしている。"
    with ChatServer(answer="法務省は処分を行うべきどうかを？") as server:
        (written,) = _kiku(tagger, server.url).summarizer.writer.write_many([WriteRequest(digest_question(answer), (answer,), "question")])
    assert written.text is None and written.reason == "not a question"
    with ChatServer(answer="法務省は何を検討する？") as server:
        (written,) = _kiku(tagger, server.url).summarizer.writer.write_many([WriteRequest(digest_question(answer), (answer,), "question")])
    assert written.text == "法務省は何を検討する？"


def test_a_cut_loses_its_opening_connective(tagger):
    """A cut of a sentence that opens with a connective (しかし、…) drops it, as an extractive
    line does: kept, the line would not stand alone and be refused."""
    from kiku.types import WriteRequest

    source = "しかし、日本銀行は14日まで開いた金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。"
    with ChatServer(cuts={source: "しかし、日本銀行は政策金利を0.5％程度に据え置くことを決めた。"}) as server:
        (written,) = _kiku(tagger, server.url, 'digest.writing="cut"').summarizer.writer.write_many(
            [WriteRequest("答え", (source,), sources=(source,), max_chars=50)]
        )
    assert written.text == "日本銀行は政策金利を0.5％程度に据え置くことを決めた。" and written.cut_from == (source,)


def test_a_heading_is_asked_each_way_and_the_first_that_passes_stands(tagger):
    """A section's heading is asked two ways in one call: over the articles, and picked from
    the titles' words. Here the first way's heading coins a compound (refused), the picked
    one stands."""
    from kiku.models.prompts import HEADING_WAYS
    from kiku.types import WriteRequest

    material = ("羽田空港に緊急着陸相次ぐ", "羽田空港では14日、旅客機の緊急着陸が3件相次いだ。")
    said = {"共通する話題": "空港着陸", "話題の中心になる語句": "羽田空港の緊急着陸"}
    with ChatServer(answers=said) as server:
        writer = _kiku(tagger, server.url).summarizer.writer
        (written,) = writer.write_many([WriteRequest(HEADING_WAYS[0], material, "heading", variants=HEADING_WAYS[1:])])
    assert len(server.requests) == 2
    assert written.text == "羽田空港の緊急着陸"


def test_an_answer_whose_question_passes_stands(tagger):
    """A question is asked for each answer the model cut that would stand (best first): when
    the first answer's question is refused and the next one's passes, the next answer stands
    with its question; when none passes, the first answer stands with the question built from
    it, and the model's question for it is on record with why it was refused."""
    from pathlib import Path

    from kiku.digest import DigestBuilder
    from kiku.ingest import read_inputs
    from kiku.render import digest_record
    from kiku.types import Article

    articles = [a for a in read_inputs([str(Path(__file__).parent / "data" / "digest-articles.jsonl")]) if isinstance(a, Article)]
    extractive = Kiku(load_config(), "extractive", tagger=tagger)
    summaries = [extractive.summarize(a) for a in articles]  # (the cards' bullets: not the server's cuts)
    decided = "日本銀行は14日まで開いた金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。"
    proposed = "会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。"
    cuts = {
        decided: "日本銀行は金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。",
        proposed: "委員９人のうち１人が利上げを提案したが、反対多数で否決された。",
    }
    refused = "日本銀行は誰と会合を開いた？"  # (開く: a predicate the answer does not have)
    for second, stands in (("委員９人のうち１人は何を提案した？", "proposed"), ("委員９人のうち誰が会合を開いた？", "decided")):
        with ChatServer(cuts=cuts, answers={"答え: 日本銀行は": refused, "答え: 委員９人": second}) as server:
            builder = DigestBuilder(load_config(), tagger, _kiku(tagger, server.url).summarizer.writer)
            boj = next(s for s in digest_record(builder.build(summaries))["sections"] if "日銀" in s["heading"]["text"])
        if stands == "proposed":
            assert boj["answer"]["text"] == cuts[proposed] and boj["answer"]["written_by"] == "model"
            assert boj["answer"]["support"] == [{"article": "boj-a", "sentences": [proposed]}]
            assert boj["question"]["text"] == second and boj["question"]["written_by"] == "model"
        else:
            assert boj["answer"]["text"] == cuts[decided] and boj["answer"]["written_by"] == "model"
            assert boj["question"]["written_by"] == "template" and boj["question"]["support"] == boj["answer"]["support"]
            assert boj["question"]["replaced"]["model_text"] == refused
