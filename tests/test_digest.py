"""kiku digest: grouping, the card shape, options, the three formats, determinism, and the
HTML page in real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiku.check import Checker
from kiku.config import load_config
from kiku.digest import DigestBuilder, DigestOptions, select
from kiku.render import card_lines, to_html, to_markdown
from kiku.ingest import read_inputs
from kiku.text import normalize
from kiku.types import Article, Summary
from tests.conftest import ROOT, shared_articles
from tests.test_cli import run

DATA = Path(__file__).parent / "data" / "digest-articles.jsonl"
SCHEMA = ROOT / "configs" / "digest.schema.json"
CARD = re.compile(
    r"^(?P<title>[^\n]+)\n(?:公開日:\d{4}/\d{2}/\d{2}\n)?(?:✅ [^\n]+\n){1,3}(?:さらに読む ⇒ [^\n]+ 出典: https?://[^\s]+\n)?$"
)


def digest(*args: str) -> tuple[int, str, str]:
    return run("digest", "--summarizer", "extractive", *args)


def test_sections_group_the_same_story_and_order_by_weight():
    code, out, err = digest("--format", "json", str(DATA))
    assert code == 0, err
    d = json.loads(out)
    sections = [[a["id"] for a in s["articles"]] for s in d["sections"]]
    # Three outlets on one earthquake, two on one BOJ meeting, three unrelated stories.
    assert sections[0] == ["quake-c", "quake-b", "quake-a"]  # heaviest first, newest card first
    assert sections[1] == ["boj-b", "boj-a"]
    assert sorted(map(tuple, sections[2:])) == [("council",), ("expo",), ("snow",)]
    # A heading is the phrase of the most central title that holds the section's key phrases
    # (never a quotation); without one, the key phrases.
    assert d["sections"][0]["heading"]["text"] == "北海道東部の地震"
    assert d["sections"][1]["heading"]["text"] == "政策金利・日銀"
    # One 💡 point per section by default, as long as a section has a line no card shows;
    # then more from the heaviest sections.
    assert [p["section"] for p in d["points"]][:2] == [1, 2] and len(d["points"]) <= 5


def test_markdown_draft_top_to_bottom_with_cards_in_the_exact_shape():
    code, out, _ = digest(str(DATA))
    assert code == 0
    blocks = out.split("\n\n")
    assert blocks[0] == "# 2025/03/13〜2025/03/14のニュース：北海道東部／政策金利／東海道新幹線"
    assert blocks[1] == "2025/03/13〜2025/03/14に配信された8本の記事を5つの話題にまとめた。最も多く取り上げられたのは「北海道東部の地震」（3本）。"
    assert blocks[2] == "## 1. 北海道東部の地震"
    # The question asks after the answer's subject; the answer is a line no card shows.
    assert blocks[3] == "**Q. 地震で何が起きた？**"
    assert blocks[4] == "A. 北海道東部を震源とする地震があり、釧路市で震度５弱の揺れを観測した。"
    assert blocks[5] == (
        "北海道東部の地震、花咲線が運転再開\n"
        "公開日:2025/03/14\n"
        "✅ 14日朝に北海道東部で震度５弱を観測した地震で、運転を見合わせていたＪＲ花咲線は午後3時すぎに全線で運転を再開した。\n"
        "✅ ＪＲ北海道によると、線路や設備の点検で異常は見つからなかった。\n"
        "✅ 釧路と根室の間では上下線の計６本が運休し、約300人に影響した。\n"
        "さらに読む ⇒ 例ニュース 出典: https://news.example.jp/articles/20250314-quake-train"
    )
    cards = [b for b in blocks if "\n✅ " in b]
    assert len(cards) == 8 and all(CARD.match(c + "\n") for c in cards)
    # No date and no URL: 公開日 and the 出典 line are left out.
    council = next(c for c in cards if c.startswith("市議会"))
    assert "公開日" not in council and "出典" not in council and council.count("✅") == 3
    conclusion = out[out.index("## 🚩 結論!") :]
    assert 3 <= conclusion.count("💡 ") <= 5 and out.endswith("\n") and not out.endswith("\n\n")


def test_every_sentence_of_the_draft_is_supported_by_its_articles(tagger):
    code, out, _ = digest("--format", "json", str(DATA))
    d = json.loads(out)
    bodies = {json.loads(line)["id"]: json.loads(line)["body"] for line in DATA.read_text(encoding="utf-8").splitlines()}
    summary = load_config().summary
    checker = Checker(tagger, max_chars=summary.max_chars, min_chars=summary.min_chars)
    lines = [s["answer"] for s in d["sections"] if s["answer"]["text"]] + d["points"]
    for line in lines:
        assert line["written_by"] == "extractive" and line["support"]
        for support in line["support"]:
            for sentence in support["sentences"]:
                assert sentence in bodies[support["article"]]
        source = [s for sp in line["support"] for s in sp["sentences"]]
        assert checker.check(line["text"], source).ok, line
    for section in d["sections"]:  # key phrases are found in the (NFKC-normalised) articles
        for phrase in section["heading"]["text"].split("・"):
            assert any(phrase in normalize(bodies[a["id"]] + (a["title"] or "")) for a in section["articles"]), phrase


def test_options_title_sections_points_dates_and_max_articles():
    code, out, err = digest("--title", "今日のニュース", "--sections", "2", "--points", "7", str(DATA))
    assert code == 0, err
    assert out.startswith("# 今日のニュース\n")
    headings = re.findall(r"^## \d+\. (.+)$", out, flags=re.M)
    assert headings == ["北海道東部の地震", "その他の話題"]
    assert 5 <= out.count("\n💡 ") <= 7  # more points than sections: the next best from each, while there are new lines
    code, out, err = digest("--since", "2025/03/14 12:00", "--until", "2025/03/14", "--format", "json", str(DATA))
    ids = [a["id"] for s in json.loads(out)["sections"] for a in s["articles"]]
    assert sorted(ids) == ["boj-a", "boj-b", "quake-c"]
    assert json.loads(out)["left_out"] == {"before_since": 4, "undated": 1}
    assert "left out 5 article(s) by the options" in err
    code, out, _ = digest("--max-articles", "2", "--format", "json", str(DATA))
    ids = [a["id"] for s in json.loads(out)["sections"] for a in s["articles"]]
    assert sorted(ids) == ["boj-b", "quake-c"]
    code, _, err = digest("--since", "きのう", str(DATA))
    assert code == 2 and "--since 'きのう': not a date" in err


def test_same_input_gives_byte_identical_output(tmp_path):
    for fmt in ("md", "html", "json"):
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert digest(str(DATA), "-o", str(first))[0] == 0
        assert digest(str(DATA), "-o", str(second))[0] == 0
        assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["schema"] == "kiku-digest/2"


def test_json_follows_its_schema_and_carries_provenance():
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = digest("--format", "json", str(DATA))
    d = json.loads(out)
    jsonschema.validate(d, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert d["provenance"]["summarizer"] == "extractive" and d["provenance"]["kiku_version"]
    assert d["provenance"]["config"]["digest"]["similarity"] == load_config().digest.similarity
    card = d["sections"][0]["articles"][0]
    assert card["card"].split("\n")[1] == "公開日:2025/03/14" and card["published"] == "2025-03-14T16:00:00+09:00"
    for bullet in card["bullets"]:
        assert bullet["source_text"] and bullet["written_by"] == "extractive"


def _hostile_summary(tagger) -> list[Summary]:
    from kiku.runner import Kiku

    kiku = Kiku(summarizer="extractive", tagger=tagger)
    hostile = Article(
        id="x",
        title='<script>document.title="pwned"</script><img src=x onerror=alert(1)>',
        body="北海道で震度５弱の揺れを観測した。<b>太字</b>のタグも本文の文字として扱われる。けが人の情報は入っていない。",
        url="javascript:alert(1)",
        source="<i>悪意のサイト</i>",
    )
    safe = Article(
        id="y", title="日銀が金利を据え置き", body="日本銀行は政策金利を0.5％程度に据え置くことを決めた。植田総裁は慎重に見極めたいと述べた。",
        url='https://example.jp/a?x=1&y="2"', source="例ニュース",
    )
    return [s for s in kiku.run([hostile, safe]) if isinstance(s, Summary)]


def test_html_escapes_text_and_links_only_http(tagger):
    summaries = _hostile_summary(tagger)
    d = DigestBuilder(load_config(), tagger).build(summaries, DigestOptions(title="<b>見出し</b>"))
    html = to_html(d)
    assert "<script>document" not in html and "&lt;script&gt;document.title=" in html
    assert 'href="javascript:' not in html and "出典: javascript:alert(1)</p>" in html
    assert 'href="https://example.jp/a?x=1&amp;y=&quot;2&quot;"' in html
    assert "<b>見出し</b>" not in html and "&lt;b&gt;見出し&lt;/b&gt;" in html
    assert not re.search(r"(?:src|href)=\"(?!https://example\.jp)", html)  # nothing loads from elsewhere
    md = to_markdown(d)
    assert card_lines(summaries[0])[0].startswith("<script>")  # Markdown keeps the text as written
    assert md.count("✅") == sum(len(s.bullets) for s in summaries)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("KIKU_REQUIRE_CHROMIUM"):
        pytest.fail("Chromium is required here (KIKU_REQUIRE_CHROMIUM) but was not found")
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")


def _browser(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_html_in_headless_chromium(tmp_path, tagger):
    chromium = _chromium()
    summaries = _hostile_summary(tagger)
    page = tmp_path / "draft.html"
    code, _, err = digest(str(DATA), "-o", str(page))
    assert code == 0, err
    hostile = tmp_path / "hostile.html"
    hostile.write_text(to_html(DigestBuilder(load_config(), tagger).build(summaries)), encoding="utf-8")
    # The DOM after the page ran: cards, ✅ and 💡 lists, links as parsed by the browser.
    dom = _browser(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('<article class="card">') == 8
    points = len(json.loads(digest("--format", "json", str(DATA))[1])["points"])
    assert dom.count("<li>✅ ") == 24 and dom.count("<li>💡 ") == points >= 3
    assert '<a href="https://news.example.jp/articles/20250314-quake-train" rel="noopener noreferrer">例ニュース</a>' in dom
    dom = _browser(chromium, tmp_path, "--dump-dom", hostile.as_uri()).stdout
    assert "<script>" not in dom and "<img" not in dom and "pwned" not in dom.split("<body>")[0]
    assert "&lt;script&gt;document.title=" in dom and 'href="javascript' not in dom
    # A screenshot, to look at: the page renders (Japanese text included) to a non-empty image.
    shot = tmp_path / "draft.png"
    result = _browser(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1000,1800", "--hide-scrollbars", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, result.stderr[-2000:]
    if os.environ.get("KIKU_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["KIKU_SCREENSHOT_DIR"]) / "digest.png")


def test_select_keeps_input_order_and_counts_what_it_leaves_out():
    articles = [a for a in read_inputs([str(DATA)]) if isinstance(a, Article)]
    kept, left_out = select(articles, DigestOptions(max_articles=3))
    assert [a.id for a in kept] == ["quake-c", "boj-a", "boj-b"]  # the newest three, in input order
    assert left_out == {"over_max": 5}


def test_digest_of_real_articles_on_mixed_topics():
    """Wikinews articles from five stories and ten unrelated ones: pairs put together should
    belong together (pair precision), and most pairs that belong together should be found."""
    rows = shared_articles("jawikinews", 4000)
    families = {"四川": "四川", "大統領選": "2008アメリカ大統領選挙", "ノーベル": "ノーベル", "台風": "台風", "Jリーグ": "Jリーグ"}
    family: dict[str, str] = {}
    picked = []
    for name, key in families.items():
        for r in [r for r in rows if key in r["title"]][:4]:
            family[r["id"]] = name
            picked.append(r)
    others = [r for r in rows if r["id"] not in family and not any(k in r["title"] for k in families.values())]
    for r in others[::300][:10]:
        family[r["id"]] = r["id"]
        picked.append(r)
    from kiku.ingest import parse_record
    from kiku.runner import Kiku

    kiku = Kiku(summarizer="extractive")
    summaries = [s for s in kiku.run([parse_record(r, r["id"], r["id"]) for r in picked]) if isinstance(s, Summary)]
    d = DigestBuilder(kiku.config, kiku.tagger).build(summaries, DigestOptions(sections=50))
    label = {s.article.id: k for k, sec in enumerate(d.sections) for s in sec.summaries}
    ids = list(label)
    same = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if label[a] == label[b]]
    truth = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if family[a] == family[b]]
    precision = sum(family[a] == family[b] for a, b in same) / max(1, len(same))
    recall = sum(label[a] == label[b] for a, b in truth) / max(1, len(truth))
    print(f"pair precision {precision:.2f}, pair recall {recall:.2f}, {len(d.sections)} sections")
    assert precision >= 0.85 and recall >= 0.5, (precision, recall)


def test_answers_and_points_never_repeat_a_card_and_stand_alone(tagger):
    """The lines between the cards say something the cards do not: no 💡 point or answer is a
    ✅ bullet (or most of one), none opens with a connective or a pointer back (この, ちなみに,
    同社は), each has a subject; the lead counts only what is more than one."""
    from kiku.bullets import is_anaphoric, strip_connective
    from kiku.check import main_subject

    for source in (str(DATA), str(ROOT / "examples" / "articles")):
        code, out, _ = digest("--format", "json", source)
        d = json.loads(out)
        bullets = [normalize(b["text"]) for s in d["sections"] for a in s["articles"] for b in a["bullets"]]
        lines = [s["answer"]["text"] for s in d["sections"] if s["answer"]["text"]] + [p["text"] for p in d["points"]]
        assert lines
        for line in lines:
            text = normalize(line)
            assert not any(text == b or b in text or (text in b and len(text) > 0.75 * len(b)) for b in bullets), line
            assert not is_anaphoric(line) and strip_connective(line, tagger) == line, line
            assert not line.startswith(("ちなみに", "まず", "また")), line
            assert main_subject(tagger.tokens(text)), line
        for section in d["sections"]:
            assert "で何があった" not in section["question"]["text"] and section["question"]["written_by"] == "template"
            if section["answer"]["text"]:  # asked of the answer: it rests on what the answer does
                assert section["question"]["support"] == section["answer"]["support"]
            assert section["bridges"] == []  # bridging lines are the model's only
            # a one-article section's heading is a phrase of its title, not joined key phrases
            assert len(section["articles"]) > 1 or normalize(section["heading"]["text"]) in normalize(section["articles"][0]["title"])
    code, out, _ = digest(str(ROOT / "examples" / "articles"))
    lead = out.split("\n\n")[1]
    assert "（1本）" not in lead and "6つの話題" not in lead  # six articles, six topics: no counts of one


def test_questions_ask_after_who_the_answer_names(tagger):
    from kiku.digest import _question

    assert _question("日本銀行は政策金利を0.5％程度に据え置くことを決めた。", "日銀", tagger) == "日本銀行は何を決めた？"
    # うち1人が: a part of something named before — the question falls back to the topic
    assert _question("会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。", "日銀", tagger) == "日銀をめぐって何が起きている？"
    # An answer that says what its topic is asks for it, not どうなった or the section's topic
    # (livedoor answers: a number, a person, a price, a noun phrase)
    assert _question("ダウンロード用の番号は16桁の数字だ。", "任天堂", tagger) == "ダウンロード用の番号は？"
    assert _question("講師はSUPER GTで活躍する現役レーサーの柳田真孝氏だ。", "デート", tagger) == "講師は誰？"
    assert _question("価格は16,480円となっています。", "ThinkPad", tagger) == "価格はいくら？"
    assert _question("ディスプレイは7インチWXGA（1280×800ドット）IPS液晶。", "Android", tagger) == "ディスプレイは？"
    # words quoted without their verb were said
    assert _question("落合氏は一茂氏に対して、「お前がもうちょっとやっておけばなぁ」とも。", "様子", tagger) == "落合氏は何と言った？"
    # …を発表。 and …の優勝。 end on what was done
    assert _question("トヨタは新型車を発表。", "トヨタ", tagger) == "トヨタは何を発表した？"
    assert _question("トヨタは新型車を改良。", "トヨタ", tagger) == "トヨタは何を改良した？"
    assert _question("日本代表は3大会ぶりの優勝。", "サッカー", tagger) == "日本代表はどうなった？"
    # held to the answer, and in its tense: 公開される says nothing was announced, and is to come
    assert _question("前篇は現在大ヒット上映中で、後篇は4月21日より公開される。", "映画", tagger) == "前篇はどうなる？"
    # 今回は is when, 同社の社長は points back: neither is a topic to ask about
    assert _question("今回は3回目の開催だ。", "祭り", tagger) == "祭りをめぐって何が起きている？"
    assert _question("同社の社長は山田太郎氏だ。", "人事", tagger) == "人事をめぐって何が起きている？"


def test_a_long_title_gives_a_heading_its_opening_object(tagger):
    """A title too long for a heading gives its longest opening noun phrase; one with a clause
    in it only as the object of what follows (before で or に the clause may describe a later
    noun: not プロドライバーが伝授するデート); never one holding a topic (titles of livedoor and Wikinews
    articles)."""
    from kiku.digest import _title_chunks

    assert _title_chunks("子ども医療費の無料化を18歳まで拡大する条例を可決", tagger) == ["子ども医療費の無料化を18歳まで拡大する条例"]
    assert _title_chunks("プロドライバーが伝授するデートで使えるドライビングテクニック", tagger) == ["プロドライバー"]
    assert _title_chunks("FIFA臨時総会は2016年2月26日に行う事を決定しました", tagger) == []
    # (what followed a quotation, without it, is no phrase: を共有するサービス)
    assert _title_chunks("「音」を共有するサービス「SoundCloud」を使おう", tagger) == []
    # (a noun phrase with no clause in it may end before any case particle)
    assert _title_chunks("全国地ビールフェスティバルin一関-岩手県で8月8日開幕", tagger) == ["全国地ビールフェスティバルin一関-岩手県"]


def test_a_line_that_points_to_what_follows_does_not_stand_alone(tagger):
    builder = DigestBuilder(load_config(), tagger)
    assert not builder._stands_alone("キャンペーンの概要は以下の通り。")
    assert not builder._stands_alone("イベントの詳細は次のとおりだ。")
    assert builder._stands_alone("テレコムスクエアは夏のキャンペーンを実施すると発表した。")


def test_a_heading_is_cut_from_the_part_of_a_title_that_names_the_topic():
    """A title of two headlines (業界最安値を実現！テレコムスクエアが…) gives the model the one
    that holds the section's key phrases to cut a heading from: a cut across the ！ runs the two
    together (KDDI、…楽しみ放題に！新サービス… -> 映画・音楽が「ビデオパス」…を発表). The site's
    label goes too."""
    from kiku.digest import _title_support
    from kiku.types import Article, Summary

    def part(title: str, phrases: list[str]) -> str:
        summary = Summary(Article(id="a", title=title, body="本文。", origin="a"), (), "extractive", "h")
        return _title_support(summary, phrases)[0].sentences[0]

    assert part("業界最安値を実現！テレコムスクエアが海外用モバイルWi-Fiルータを破格の500円でレンタルする夏のキャンペーンを実施", ["テレコムスクエア"]).startswith("テレコムスクエアが")
    assert part("KDDI、auスマートパスで映画・音楽が楽しみ放題に！新サービス「ビデオパス」「うたパス」を発表", ["ビデオパス"]) == "新サービス「ビデオパス」「うたパス」を発表"
    assert part("【売れ筋チェック】ホームシアター向けブルーレイディスクプレーヤー「ＢＤＰ−４５０」", ["ＢＤＰ−４５０"]) == "ホームシアター向けブルーレイディスクプレーヤー「ＢＤＰ−４５０」"
    assert part("北海道で震度５弱　けが人の情報なし", ["北海道"]) == "北海道で震度５弱"
    assert part("有形文化財の登録、170件を答申-文化審議会", ["有形文化財"]) == "有形文化財の登録、170件を答申"
    assert part("あなただけのオリジナルダンス作成！ Twitter/Facebook連動コンテンツ「重低音BROTHERS meets EXTRA BASS 」", ["重低音BROTHERS"]) == "Twitter/Facebook連動コンテンツ「重低音BROTHERS meets EXTRA BASS 」"


def test_a_line_that_adds_to_what_came_before_does_not_stand_alone(tagger):
    """💡 points cut by the default model from livedoor and Wikinews sentences: 他にも… and 以下…
    lean on the sentence before them in the article; the same facts without them stand."""
    from kiku.digest import DigestBuilder

    builder = DigestBuilder(load_config(), tagger)
    assert not builder._stands_alone("他にもハワイは特典がいっぱい。")
    assert not builder._stands_alone("以下2着がカネスベネフィット、3着にケイアイカールトンだった。")
    assert builder._stands_alone("今年のルックJTBのハワイは特典がいっぱい。")
    # この after an attribution points back too, with or without its comma
    assert not builder._stands_alone("読売新聞によるとこの選挙は福田氏が辞職したことに伴う補欠選挙の前哨戦でもあった。")
    assert builder._stands_alone("読売新聞によると山口県の選挙は福田氏が辞職したことに伴う補欠選挙の前哨戦でもあった。")


def test_a_line_that_speaks_to_the_reader_does_not_stand_alone(tagger):
    """Answers, 💡 points and lead sentences cut by the default model from livedoor articles:
    a request, an invitation or a closing particle of talk is the magazine speaking to its
    reader, not an editor reporting; a note mark opens an aside. The same facts stated stand,
    and so does a conjecture (…だろう) or a request inside a quotation."""
    builder = DigestBuilder(load_config(), tagger)
    for line in (
        "問題は300問用意されているので、覚えてくださいね。",
        "聖歌隊は、もう古いのかもしれませんね。",
        "思いっきり夏を満喫される方も多いですよね！",
        "リストに表示したい友達を登録しよう。",
        "新しいアプリで一緒に夏を楽しみましょう！",
        "新しい機能をぜひ試してみてはいかがだろうか。",
        "今年のルックJTBのハワイは、盛りだくさん！",
        "メッセージが表示される可能性のあるアイコンならば、［通知のみを表示］を選ぶといいだろう。",
        "ソフトウェアのダウンロードは、以下のOS・ブラウザのご使用を推奨いたします。",
        "ソフトは現在2タイトルだけだが、タイトル数の増加、使い勝手の改良など期待したい。",
        "切り替えている個人宅も多いと思う。",
        "対策があると対応が大きく違ってくると思います。",
        "※ 準備が出来たらケータイアップデートを実施してください。",
        "・更新期間は2015年7月31日までとなっている。",
        "高田：今回の撮影では心境はだいぶ違いました。",
        "聖歌隊が散りばめた“笑い”を見逃してはいけません。",
        "ThinkPadの満足度が今後どのように向上するのか楽しみだ。",
        "当選のご連絡はお送りいたします。",
        "夏のおすすめショップを厳選してご紹介。",
        "猫のアイコンがたっぷりの「ぬこショートカットアイコン」というアプリを紹介します。",
        "当選者への発送は7月中旬頃を予定しております。",
        "ご応募は、日本国内にお住まいの方に限らせていただきます。",
        "ユーザーをフォローすることでつながりができるSNSの一面。",
        "「音」を共有する便利なサービスもあるんです。",
    ):
        assert not builder._stands_alone(line), line
    for line in (
        "問題集には問題が300問用意されている。",
        "文部科学省は新しい制度を来年4月に始めるだろう。",
        "監督は選手に「最後まで走ってください」と呼びかけた。",
        "社長は「来年も続けたい」と話した。",
        "火災の原因は古い配線の劣化によるものと思われる。",
        "無料の対象は市内に住む10歳以下の子どもに限られる。",
        "専門家は早めに避難したほうがいいと呼びかけている。",
        "条例は歩きながら喫煙してはならないと定めている。",
        "ファンは続編の公開を楽しみにしている。",
        "番組は毎週、地元で長く愛される名店を紹介する。",
        "流通大手のイオンが電気自動車関連事業への参入を発表。",
        "全日本女子がアルジェリアを下して通算2勝2敗。",
        "人気アイドルが主演する映画が4月21日より公開される。",
    ):
        assert builder._stands_alone(line), line


def test_a_headline_reports_and_does_not_invite(tagger):
    """A heading the default model cut from a livedoor title (…夏の肌をタマゴのようなツルツル肌に
    しよう) invited its reader; a heading or title that ends in an invitation or a command is
    refused, one that reports stands."""
    from kiku.digest import _Job

    builder = DigestBuilder(load_config(), tagger)
    for kind in ("heading", "title"):
        job = _Job(None, kind, None, None)
        assert builder._misplaced(job, "韓国毛穴ケアコスメ、夏の肌をツルツル肌にしよう") == "speaks to its reader"
        assert builder._misplaced(job, "新型スマホを写真と動画でチェックせよ") == "speaks to its reader"
        assert builder._misplaced(job, "「GS03」を写真と動画でチェック") is None
        assert builder._misplaced(job, "大阪地検主任検事を逮捕") is None
