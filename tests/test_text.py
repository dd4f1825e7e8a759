"""The Japanese text layer: splitting, kinds of sentences, normalisation, tokens."""

from __future__ import annotations

import pytest

from kiku.errors import ArticleError
from kiku.text import Preprocessor, has_japanese, normalize, split_sentences, terms
from kiku.types import Article, SentenceKind

SPLIT_CASES = [
    # 「」 with 。 inside stays whole, and so does the sentence around it
    ("彼は「今日は晴れだ。明日は雨だ。」と言った。次の文。", ["彼は「今日は晴れだ。明日は雨だ。」と言った。", "次の文。"]),
    # a whole quoted sentence ending in ？ inside 「」
    ("「やってくれないかな？」と頼まれた。", ["「やってくれないかな？」と頼まれた。"]),
    # （…） with 。 inside stays whole
    ("首相（62）は会見で（詳細は後述。）述べた。以上。", ["首相（62）は会見で（詳細は後述。）述べた。", "以上。"]),
    # runs of ！？ end one sentence
    ("本当か！？信じられない！！そうだ。", ["本当か！？", "信じられない！！", "そうだ。"]),
    # a last sentence without 。 is kept
    ("雨が降った。試合は延期された", ["雨が降った。", "試合は延期された"]),
    # line breaks end sentences, even without 。
    ("見出しのような行\n本文の一文目。二文目。", ["見出しのような行", "本文の一文目。", "二文目。"]),
    # half-width and full-width decimals do not split
    ("金利は3.5%に上がった。前年は３．２％だった。", ["金利は3.5%に上がった。", "前年は３．２％だった。"]),
    # URLs (with ? and .) do not split
    ("詳細は https://example.jp/a.html?x=1 を参照。次。", ["詳細は https://example.jp/a.html?x=1 を参照。", "次。"]),
    # ellipses do not split
    ("待って……と彼は言った。終わり。", ["待って……と彼は言った。", "終わり。"]),
    # a brand name with ! does not split
    ("Yahoo!ニュースによると、値上げする。", ["Yahoo!ニュースによると、値上げする。"]),
    # a name with 。 (no sentence opens with a lone particle); a sentence that opens with もし does
    (
        "モーニング娘。の元メンバーが解雇された。もし本当なら驚きだ。が、続報はない。",
        ["モーニング娘。の元メンバーが解雇された。", "もし本当なら驚きだ。", "が、続報はない。"],
    ),
    # a 「 that is never closed does not swallow the rest of the line
    ("「開いたままの括弧。次の文。", ["「開いたままの括弧。", "次の文。"]),
    # full-width spaces at paragraph starts are not part of the sentence
    ("\u3000最初の段落。\n\n\u3000次の段落。", ["最初の段落。", "次の段落。"]),
    # a closing bracket right after 。 stays with its sentence
    ("彼は言った。」次。", ["彼は言った。」", "次。"]),
    # Windows line endings
    ("一文目。\r\n二文目。", ["一文目。", "二文目。"]),
    # Unicode line separators (seen in real pages) end lines too and are not part of a sentence
    ("発売日は未定\u2028詳細は後日。", ["発売日は未定", "詳細は後日。"]),
    # empty and blank bodies
    ("", []),
    ("\n\u3000\n", []),
]


@pytest.mark.parametrize(("body", "expected"), SPLIT_CASES)
def test_split_sentences(body, expected):
    assert [s.text for s in split_sentences(body)] == expected


@pytest.mark.parametrize(("body", "expected"), SPLIT_CASES)
def test_sentence_offsets_point_into_the_body(body, expected):
    for s in split_sentences(body, "a1"):
        assert body[s.start : s.end] == s.text
        assert s.article_id == "a1"


KIND_CASES = [
    # a 【関連記事】 block at the end: the heading and every link after it
    ("本文の文です。\n\n【関連記事】\n・記事Aの見出し\n・記事Bの見出し", ["body", "related", "related", "related"]),
    # a "more articles" block
    ("本文の文です。\n■Googleの記事をもっと見る\n・見出し！\nGoogleロゴが変化第十三弾", ["body", "related", "related", "related"]),
    # photo captions
    ("本文の文です。\n写真：会見する首相\n▲ 会場の様子\n（写真提供：共同）", ["body", "caption", "caption", "caption"]),
    # a byline that is only a bracketed aside
    ("ま、お互い様ですけどね。（来布十和）", ["body", "aside"]),
    # Wikinews source citations
    ("事故があった。YOMIURIONLINE『宮城沖震源、仙台など6強』。読売新聞、2011年4月8日。", ["body", "citation", "citation"]),
    # Wikinews lists of dated related stories
    ("大会が開かれた。2016年8月16日(火):台風13号の影響で1人死亡", ["body", "related"]),
    # a heading line
    ("■ 概要\n本文の文です。", ["heading", "body"]),
    # a fact box run into one sentence (Wikinews infobox text)
    ("市の概要。位置:アメリカ合衆国ルイジアナ州面積:総面積907.0km²人口:484,674人", ["body", "data"]),
    # a single field line without a predicate
    ("キャンペーンを始めた。\n期間：2012年9月1日から9月17日まで", ["body", "data"]),
    # one label, or a URL, is still prose
    ("発表:政府は対策をまとめた。詳細はhttps://example.jp/aを参照。", ["body", "body"]),
    # Wikinews pointers to Wikipedia are not news
    ("台風が発生した。英語版ウィキペディアにBhubaneswarに関する記事があります。", ["body", "link"]),
    # list items that are not sentences: related headlines (one naming its site) and features
    (
        "本文の文です。\n・溝端淳平もキレイな女性には弱い？ 「檀れいは完璧！」と語る\n"
        "・KDDI、au向け2012年夏モデル9機種を発表！ - S-MAX\n・なお、賞品の発送は10月下旬頃を予定しております。",
        ["body", "heading", "heading", "link", "link", "body"],
    ),
    # a bare URL line and a read-more link
    ("本文の文です。\nhttps://example.jp/news/1\nさらに読む ⇒ Example", ["body", "link", "link"]),
]


@pytest.mark.parametrize(("body", "kinds"), KIND_CASES)
def test_non_summary_material_is_marked(body, kinds):
    assert [s.kind.value for s in split_sentences(body)] == kinds


def test_normalize_is_nfkc_but_text_is_kept_as_written():
    body = "売上は１２３億円、ｶﾀｶﾅも。"
    [s] = split_sentences(body)
    assert s.text == body
    assert s.normalized == "売上は123億円、カタカナも。"
    assert normalize("ＡＢＣ　１") == "ABC 1"


def test_has_japanese():
    assert has_japanese("東京")
    assert has_japanese("カタカナ")
    assert not has_japanese("MIWA ROCK!!")


def test_tagger_uses_unidic_lite_explicitly(tagger):
    import unidic_lite

    assert tagger.dicdir == unidic_lite.DICDIR
    assert f"-d '{unidic_lite.DICDIR}'" in tagger.args
    assert "-r '" in tagger.args


def test_tokens_expose_surface_pos_and_lemma(tagger):
    tokens = tagger.tokens(normalize("ロシアのプーチン大統領は停戦案に条件を付けた。"))
    assert [t.surface for t in tokens][:4] == ["ロシア", "の", "プーチン", "大統領"]
    by_surface = {t.surface: t for t in tokens}
    assert by_surface["ロシア"].pos == "名詞-固有名詞-地名-国"
    assert by_surface["ロシア"].pos1 == "名詞"
    assert by_surface["付け"].lemma == "付ける"
    assert by_surface["付け"].cform.startswith("連用形")
    assert by_surface["。"].pos == "補助記号-句点"


def test_odd_characters_decode_into_tokens(tagger):
    for text in ("発売: \u2028", "a\x85b", "記号\u3000"):
        for tok in tagger.tokens(text):
            assert tok.surface and tok.pos


def test_unknown_words_use_their_surface_as_lemma(tagger):
    [tok] = [t for t in tagger.tokens("ZXQWV") if t.surface == "ZXQWV"]
    assert tok.lemma == "ZXQWV"


def test_preprocessor_builds_a_document(tagger):
    doc = Preprocessor(tagger)(Article(id="x", title="停戦案", body="米国が停戦案を示した。ロシアは難色を示した。"))
    assert doc.article_id == "x"
    assert len(doc.sentences) == 2
    assert doc.analysis_cache == {}  # nothing analysed until asked
    assert [t.surface for t in doc.tokens(1)][:2] == ["ロシア", "は"]
    assert set(doc.analysis_cache) == {1}
    assert [t.surface for t in doc.title_tokens] == ["停戦", "案"]
    doc.analyse_all()
    assert set(doc.analysis_cache) == {-1, 0, 1}
    assert doc.analysis(0).split("\n")[0] == "米国\t名詞-固有名詞-地名-国\t\t米国"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ロシアのプーチン大統領", ["ロシア", "プーチン", "大統領", "大統", "統領"]),
        ("停戦案に条件を付けた", ["停戦案", "停戦", "戦案", "条件", "付"]),
        ("iPhone15を発売", ["iPhone15", "発売"]),
        ("すべてひらがな", []),
    ],
)
def test_terms(text, expected):
    assert terms(text) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("  \n\u3000 ", "empty"), ("MIWA ROCK!!", "no Japanese")],
)
def test_preprocessor_rejects_unusable_articles(tagger, body, message):
    with pytest.raises(ArticleError, match=message):
        Preprocessor(tagger)(Article(id="bad", body=body))


def test_sentence_kind_enum_values_are_stable():
    assert {k.value for k in SentenceKind} >= {"body", "caption", "related", "aside", "citation"}


def test_wikinews_source_lines_with_times_are_citations():
    from kiku.text import split_sentences
    from kiku.types import SentenceKind

    for line in ("アメリカ地質調査所、May13,200802:53:21(UTC±0)。", "CNN、2008年5月19日17時57分(UTC+9)。"):
        [s] = split_sentences(line)
        assert s.kind is SentenceKind.CITATION, line
    # a related story or a source cited by its date and its quoted title (the model wrote
    # 小惑星「糸川」に着陸していた―データ解析で判明"。 from the first as if it were news)
    for line in (
        'ウィキニュース、2005年11月14日"探査機はやぶさ、小惑星「糸川」に着陸していた―データ解析で判明"。',
        '関西本線久宝寺駅列車無線の補助スピーカーの配線が切れていた事象についてJR西日本ニュースリリース2010年11月4日"JR西日本の電車で緊急無線用ヒューズの盗難相次ぐ"。',
    ):
        [s] = split_sentences(line)
        assert s.kind is SentenceKind.CITATION, line
    # a headline quoted whole, as source lists give it
    for line in ('"訃報涌井紀夫氏-最高裁判事"。', "「「巡査長に1000万円」パチンコ業者、03年ごろからと供述/茨城県」。"):
        [s] = split_sentences(line)
        assert s.kind is SentenceKind.CITATION, line
    # someone's long words in 「」 stay (a / inside them is not a source's separator)
    said = "「D以上の人はフルカップ、または3/4カップで持ち上げて、Vゾーンをキレイに出してあげるとスッキリ。私はD以上の人はパッドはいらないと思っています」"
    assert split_sentences(said)[0].kind is SentenceKind.BODY
    # a sentence that quotes a title and goes on is the story's
    [s] = split_sentences('同社は2010年11月4日に"盗難相次ぐ"と題した発表を行った。')
    assert s.kind is SentenceKind.BODY


def test_body_text_between_related_blocks_is_kept():
    # A page that alternates the story with 【関連情報】 blocks (a heading, a headline, a URL),
    # three times: the story resumes after each block.
    story = [
        "政府は14日の閣議で、物価高への対応策として、低所得世帯に1世帯あたり3万円を給付する方針を正式に決定した。",
        "給付は来年1月から始まり、対象となるのは住民税が非課税の世帯など約1500万世帯にのぼる見込みだ。",
        "野党からは給付の時期が遅すぎるとの批判が出ており、国会での審議が続く中で与党側の対応が注目されている。",
        "政府は年内に補正予算案をまとめ、臨時国会での成立を目指すとしており、財源には予備費の一部も充てる方針だ。",
    ]
    block = "【関連情報】\n・物価高対策、与党が提言案\nhttps://news.example.jp/articles/related-1\n"
    body = story[0] + "\n" + block + story[1] + "\n" + block + story[2] + "\n■関連記事\n・給付金の詳細\n" + story[3] + "\n"
    sentences = split_sentences(body)
    assert [s.text for s in sentences if s.kind is SentenceKind.BODY] == story
    assert {s.kind for s in sentences if s.text not in story} == {SentenceKind.RELATED}


# Text flattened from news pages: a headline, caption, byline or related headline, a space, then
# the sentence. Each case: the line, then (kind, text) of every piece.
GLUED_CASES = [
    (
        "天安門事件から30年 中国が忘れた映像 魏氏はシンガポールで開かれた会議で質問を受けた。",
        [("heading", "天安門事件から30年"), ("heading", "中国が忘れた映像"), ("body", "魏氏はシンガポールで開かれた会議で質問を受けた。")],
    ),
    (
        "ローラ・ビッカー、BBCニュース、米ケンタッキー州ホワイツバーグ バン・ブリーディング医師はひたむきだ。",
        [("byline", "ローラ・ビッカー、BBCニュース、米ケンタッキー州ホワイツバーグ"), ("body", "バン・ブリーディング医師はひたむきだ。")],
    ),
    (
        "イスラエルは東エルサレムを含むヨルダン川西岸に、100カ所以上のユダヤ人入植地を建設してきた"
        "\u3000マイク・ポンペオ国務長官が記者会見で、ヨルダン川西岸の地位は、イスラエルとパレスチナが交渉すべきものとの見解を示した。",
        [
            ("caption", "イスラエルは東エルサレムを含むヨルダン川西岸に、100カ所以上のユダヤ人入植地を建設してきた"),
            ("body", "マイク・ポンペオ国務長官が記者会見で、ヨルダン川西岸の地位は、イスラエルとパレスチナが交渉すべきものとの見解を示した。"),
        ],
    ),
    (
        "＜関連記事＞ ツイッターが謝罪 天安門事件をめぐっては、中国政府が今も国内での報道や検索を厳しく制限している。",
        [("related", "＜関連記事＞"), ("related", "ツイッターが謝罪"), ("body", "天安門事件をめぐっては、中国政府が今も国内での報道や検索を厳しく制限している。")],
    ),
]

# Spaces that belong to the sentence: names, titles, companies, places, words, quotes.
UNGLUED = [
    "スポーツブランドのアディダス ジャパンは、全国のランナーに向けたアンケート調査を実施しました。",
    "アンチエイジングの専門家である順天堂大学大学院\u3000加齢制御医学講座教授\u3000白澤卓二先生は、日本人の魚離れを心配する。",
    "『THE JUON／呪怨』で全世界へ究極の恐怖を提供した清水崇 監督が、新作の撮影を始めた。",
    "肩からは一眼カメラを提げ右手にはペンと手 帳、携帯電話で話しながら歩く姿は少し滑稽に見える。",
    "昨日9月12日に栃木・井頭公園 運動広場にて行われたライブを最後に、夏フェスの出演を終えた。",
    "ソフトバンクグループの代表 孫正義氏は、Twitterを通じて活発な発言をしている。",
    "12月上旬より、TOHOシネマズ渋谷、TOHOシネマズ シャンテほか全国ロードショー。",
    "映画『ダークナイト\u3000ライジング』は、7月28日より丸の内ピカデリーほか全国ロードショー。",
    "東京都 新宿区で火災があった。",
]


@pytest.mark.parametrize(("line", "pieces"), GLUED_CASES)
def test_glued_headlines_captions_and_bylines_are_cut_off(line, pieces):
    body = "前の段落の文です。\n\n" + line + "\n次の段落の文です。"
    sentences = split_sentences(body)
    assert [(s.kind.value, s.text) for s in sentences[1:-1]] == pieces
    for s in sentences:
        assert body[s.start : s.end] == s.text
    assert sentences[-1].kind is SentenceKind.BODY  # an inline related label ends with its line


@pytest.mark.parametrize("line", UNGLUED)
def test_spaces_inside_a_sentence_do_not_split_it(line):
    assert [(s.kind.value, s.text) for s in split_sentences(line)] == [("body", line)]


def test_a_glued_caption_never_reaches_a_bullet(kiku):
    # The Pompeo case end to end: the view is the Secretary of State's, and the caption's
    # subject (Israel) must not become the bullet's.
    line = GLUED_CASES[2][0]
    body = (
        "米国のポンペオ国務長官は18日、イスラエルによるヨルダン川西岸の入植地建設について、国際法違反とはみなさないと発表した。\n\n"
        + line
        + "\n\nパレスチナ自治政府はこの方針転換に強く反発し、国際社会に対して米国の決定を拒否するよう求めた。"
    )
    summary = kiku.summarize_text(body, title="米国、イスラエル入植地を国際法違反とみなさず")
    texts = [b.text for b in summary.bullets]
    assert texts and all("入植地を建設してきた" not in t for t in texts)
    assert all(not t.startswith("イスラエルは") for t in texts)


def test_a_navigation_box_glued_into_the_text_is_cut_off():
    # Wikinews pages flattened with no break at all: a "recent articles" box (its heading glued
    # to the topic's name, then headlines, one ending in ？) glued to the story's first sentence,
    # which resumes where a news organisation is named as its source.
    story = [
        "毎日新聞によると、全国高校野球大会は8月9日の第1試合が3回途中で降雨が激しくなり、ノーゲームとなった。",
        "残りの3試合も10日に延期となった。",
    ]
    box = "第91回全国高等学校野球選手権大会最近の記事中京大中京が古豪復活-43年ぶりの日本一台風が西日本に接近か?大雨に警戒-気象庁本大会情報組み合わせと試合結果"
    sentences = split_sentences("台風9号が発生した。" + box + "".join(story))
    assert [s.text for s in sentences if s.kind is SentenceKind.BODY] == ["台風9号が発生した。", *story]
    assert "".join(s.text for s in sentences if s.kind is SentenceKind.RELATED) == box
    # sources named together, with a note: the sentence begins at the first of them
    line = "鉄道2009年鉄道関連ニュースJR富良野駅で快速列車と除雪車が衝突12人けが走行中の電車が接触、けが人なし-東京・渋谷47NEWS(共同通信)・朝日新聞によると、9月3日、特急が工事用車両と接触し、緊急停車した。"
    pieces = [(s.kind.value, s.text) for s in split_sentences(line)]
    assert pieces[1] == ("body", "47NEWS(共同通信)・朝日新聞によると、9月3日、特急が工事用車両と接触し、緊急停車した。")
    assert pieces[0][0] == "related"
    # a box of headlines alone (ending in a noun) is not prose; a sentence about recent
    # articles is
    assert split_sentences("ロンドン地下鉄爆破事件最近の記事ロンドンの地下鉄3駅で爆発乗客が避難地下鉄で警官が男性を射殺。")[0].kind is SentenceKind.RELATED
    assert split_sentences("同社は最近の記事で、この問題を取り上げた。")[0].kind is SentenceKind.BODY


def test_a_flattened_photo_gallery_is_captions_not_prose():
    # Captions, each with its licence, glued to the sentence after the last one.
    gallery = "ばんえい記念当日に帯広競馬場の開門を待つ観客達CC-by-sa-4.0ばんえい記念の第1障害CC-by-sa-4.0優勝レイが装着される勝利馬(CC-BY-SA-3.0)"
    story = "今回のばんえい記念の前夜となる3月19日には「熱狂祭」として座談会が企画された。"
    sentences = split_sentences("帯広競馬場でばんえい記念が行われた。" + gallery + story)
    assert [(s.kind.value, s.text) for s in sentences] == [
        ("body", "帯広競馬場でばんえい記念が行われた。"), ("caption", gallery), ("body", story),
    ]


def test_a_linked_page_title_is_a_link_not_prose():
    line = "■Google、「Google Playギフトカード」を正式発表、当初は米国内でのみ展開 | ゼロから始めるスマートフォン"
    body = "本文の一文目です。\n" + line + "\n"
    assert [s.kind for s in split_sentences(body)] == [SentenceKind.BODY, SentenceKind.LINK]


def test_a_quote_closed_with_the_other_corner_bracket_does_not_swallow_the_story():
    # Wikinews: 『スーパーおおぞら14号」 — the 』 that would close it comes much later.
    body = (
        "釧路発札幌行きの特急・『スーパーおおぞら14号」から出火し、トンネル内で緊急停車した。"
        "同列車の全車両が焼けた模様である。乗客は徒歩でトンネル外に出た。YOMIURIONLINE『特急火災』。"
    )
    texts = [s.text for s in split_sentences(body)]
    assert texts[:3] == [
        "釧路発札幌行きの特急・『スーパーおおぞら14号」から出火し、トンネル内で緊急停車した。",
        "同列車の全車両が焼けた模様である。",
        "乗客は徒歩でトンネル外に出た。",
    ]
