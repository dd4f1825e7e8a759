"""Real-world inputs: feeds, pages, encodings and dates, from the fixtures in tests/data/web
(small files shaped like what Japanese news sites serve, in the encodings they use)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiku.cli import main
from kiku.dates import JST, parse_date
from kiku.decode import decode
from kiku.errors import InputError
from kiku.identity import canonical_url
from kiku.ingest import Reader, read_inputs
from kiku.pages import clean_text, fragment_text
from kiku.types import Article, Failure

WEB = Path(__file__).parent / "data" / "web"


def read(*names: str, stdin: bytes | None = None) -> tuple[list[Article | Failure], list[str]]:
    warnings: list[str] = []
    reader = Reader(warn=warnings.append)
    items = list(reader.read(names, io.BytesIO(stdin) if stdin is not None else None))
    return items, warnings


def by_title(items: list[Article | Failure]) -> dict[str, Article]:
    return {a.title: a for a in items if isinstance(a, Article)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025/03/14", "2025-03-14T00:00:00+09:00"),
        ("2025/03/14 10:00:00", "2025-03-14T10:00:00+09:00"),
        ("2025年3月14日", "2025-03-14T00:00:00+09:00"),
        ("2025年3月14日 10時00分", "2025-03-14T10:00:00+09:00"),
        ("2025年3月14日（金） 午後3時5分", "2025-03-14T15:05:00+09:00"),
        ("令和7年3月14日", "2025-03-14T00:00:00+09:00"),
        ("令和元年5月1日", "2019-05-01T00:00:00+09:00"),
        ("平成31年4月30日", "2019-04-30T00:00:00+09:00"),
        ("公開日:2025/03/14", "2025-03-14T00:00:00+09:00"),
        ("公開日：２０２５／０３／１４　１０：３０", "2025-03-14T10:30:00+09:00"),
        ("更新日時 2025.3.14 8:05", "2025-03-14T08:05:00+09:00"),
        ("2025-03-14T10:00:00+09:00", "2025-03-14T10:00:00+09:00"),
        ("2025-03-14T10:00:00+0900", "2025-03-14T10:00:00+09:00"),
        ("2025-03-14T01:00:00Z", "2025-03-14T01:00:00+00:00"),
        ("2025-03-14", "2025-03-14T00:00:00+09:00"),
        ("Fri, 14 Mar 2025 10:00:00 +0900", "2025-03-14T10:00:00+09:00"),
        ("Fri, 14 Mar 2025 10:00:00 JST", "2025-03-14T10:00:00+09:00"),
        ("14 Mar 2025 01:00:00 GMT", "2025-03-14T01:00:00+00:00"),
    ],
)
def test_dates_as_japanese_sites_write_them(raw, expected):
    assert parse_date(raw).isoformat() == expected


@pytest.mark.parametrize("raw", ["", "速報", "2025/02/30", "2025年13月1日", "3月14日", "Fri, 99 Foo 2025"])
def test_not_a_date_or_no_year_to_take(raw):
    assert parse_date(raw) is None


def test_a_yearless_date_takes_the_year_of_its_reference_never_of_today():
    new_year = datetime(2025, 1, 2, 9, 0, tzinfo=JST)
    assert parse_date("12月31日 16時20分", new_year).isoformat() == "2024-12-31T16:20:00+09:00"
    assert parse_date("1月2日", new_year).isoformat() == "2025-01-02T00:00:00+09:00"
    assert parse_date("3/14 10:00", datetime(2023, 3, 20, tzinfo=timezone.utc)).isoformat() == "2023-03-14T10:00:00+09:00"
    # The same string a year later resolves to that year: the reference, not the clock, decides.
    assert parse_date("3/14", datetime(2024, 6, 1, tzinfo=JST)).year == 2024


@pytest.mark.parametrize("codec", ["utf-8", "cp932", "euc_jp", "iso2022_jp"])
def test_undeclared_encodings_are_detected(codec):
    text = "北海道で震度５弱の揺れを観測した。気象庁は「今後１週間程度は注意してほしい」と呼びかけた。"
    decoded = decode(text.encode(codec), "x.txt")
    assert decoded.text == text and decoded.warning is None


def test_a_declared_charset_is_honoured_and_a_wrong_one_is_reported():
    sjis = "①号線は運休。㈱例鉄道が発表した。".encode("cp932")  # CP932-only characters
    assert decode(sjis, "x", "text/html; charset=Shift_JIS").text.startswith("①号線")
    lying = b'<meta charset="EUC-JP">' + "北海道で震度５弱の揺れを観測した。".encode("cp932")
    decoded = decode(lying, "x.html")
    assert "北海道で震度５弱" in decoded.text
    assert decoded.warning == "declares euc-jp but is Shift_JIS (CP932); read as Shift_JIS (CP932)"


def test_undecodable_bytes_name_the_file():
    with pytest.raises(InputError, match="cannot be decoded as UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP"):
        decode("Caf\u00e9 cr\u00e8me \u00ff\u00fe".encode("latin-1"), "menu.txt")
    [failure] = read_inputs(["-"], io.BytesIO(b"\x81\x20\xff\xfe\xfd abc"))
    assert isinstance(failure, Failure) and failure.origin == "<stdin>" and "cannot be decoded" in failure.message


def test_rss2_feed_utf8_with_rfc822_dates_and_full_text():
    items, warnings = read(str(WEB / "rss2-utf8.xml"))
    assert warnings == []
    articles = by_title(items)
    quake = articles["北海道で震度５弱　けが人の情報なし"]
    # Tracking parameters are not part of the article's address.
    assert quake.url == "https://news.example.jp/articles/20250314-quake"
    assert quake.published.isoformat() == "2025-03-14T10:05:00+09:00"
    assert quake.source == "例ニュース"
    # content:encoded is the full text, its related-articles block and "さらに読む" link dropped.
    assert quake.body.count("\n\n") == 2 and "ＪＲ北海道は安全確認のため" in quake.body
    assert "関連記事" not in quake.body and "さらに読む" not in quake.body and "釧路で震度４" not in quake.body
    assert articles["日銀、政策金利を据え置き　物価の先行きを慎重に見極め"].published.isoformat() == "2025-03-14T15:30:00+09:00"
    # A teaser cut off by "…" with no complete sentence before it is not summarised: what
    # follows the cut could turn it around. It is reported, pointing at --fetch.
    [failure] = [f for f in items if isinstance(f, Failure)]
    assert failure.origin.endswith("rss2-utf8.xml#3") and "only a cut-off teaser; use --fetch" in failure.message


def test_rdf_feed_in_shift_jis_with_dc_date_and_a_yearless_item():
    items, warnings = read(str(WEB / "rdf-sjis.rdf"))
    articles = by_title(items)
    expo = articles["大阪・関西万博の来場者、累計1000万人を突破"]
    # feedparser alone reads "2025/01/01 18:30" as another month and day.
    assert expo.published.isoformat() == "2025-01-01T18:30:00+09:00"
    assert expo.source == "東北例新報" and expo.url == "https://www.kahoku-example.jp/news/1"
    assert "写真" not in expo.body  # the photo credit is not article text
    # "12月31日 16時20分" in a feed dated 2025-01-02 is the last day of 2024.
    council = articles["市議会、子ども医療費の無料化を18歳まで拡大する条例を可決"]
    assert council.published.isoformat() == "2024-12-31T16:20:00+09:00"
    assert warnings == []


def test_atom_feed_in_euc_jp_with_iso_dates():
    items, _ = read(str(WEB / "atom-eucjp.atom"))
    articles = by_title(items)
    boj = articles["日銀、政策金利を据え置き　物価の先行きを慎重に見極め"]
    assert boj.published.isoformat() == "2025-03-14T15:30:00+09:00"  # published, not updated
    assert boj.url == "https://tech.example.jp/n/boj" and boj.source == "例テック"
    assert boj.body.startswith("日本銀行は14日まで開いた金融政策決定会合で")
    snow = articles["大雪で東海道新幹線が一時運転見合わせ　約２万人に影響"]
    assert snow.published == datetime(2025, 3, 14, 9, 10, tzinfo=JST)
    assert snow.published.utcoffset() == timedelta(0)  # kept in the zone the feed wrote


def test_malformed_feed_that_still_has_items_is_used_with_a_warning():
    items, warnings = read(str(WEB / "malformed.rss"))
    [article] = items
    assert isinstance(article, Article) and article.published.isoformat() == "2025-03-14T09:10:00+09:00"
    [warning] = warnings
    assert warning.startswith(f"{WEB / 'malformed.rss'}: malformed feed (") and "read the 1 items" in warning


def test_a_feed_that_yields_nothing_is_an_error(tmp_path):
    empty = tmp_path / "empty.rss"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><title>壊れたフィード", encoding="utf-8")
    items, _ = read(str(empty), str(broken))
    assert [f.origin for f in items] == [str(empty), str(broken)]
    assert items[0].message == "feed has no items; nothing to summarise"
    assert items[1].message.startswith("is not a readable feed (") and "check that it is RSS, RDF or Atom" in items[1].message


def test_article_page_in_shift_jis_with_metadata_and_boilerplate():
    [page], warnings = read(str(WEB / "page-sjis.html"))
    assert warnings == []
    assert page.title == "北海道で震度５弱　けが人の情報なし"  # og:title, not "… | 例ニュース"
    assert page.url == "https://news.example.jp/articles/20250314-quake"
    assert page.published.isoformat() == "2025-03-14T10:05:00+09:00"
    assert page.source == "例ニュース"
    paragraphs = page.body.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("14日午前9時48分ごろ")
    for junk in ("トップ", "関連記事", "釧路で震度４", "さらに読む", "広告", "半額", "Copyright", "撮影", "公開日"):
        assert junk not in page.body, junk


def test_page_in_euc_jp_without_a_charset_dated_by_json_ld():
    [page], warnings = read(str(WEB / "page-eucjp.htm"))
    assert warnings == []
    assert page.title == "市議会、子ども医療費の無料化を18歳まで拡大する条例を可決"
    assert page.source == "例市民新聞"
    assert page.published.isoformat() == "2025-03-14T17:45:00+09:00"
    assert "市長、予算案を発表" not in page.body and "ホーム" not in page.body
    assert page.body.startswith("横浜市議会は14日の本会議で")


def test_text_file_in_iso_2022_jp_with_a_reiwa_date_line():
    [article], _ = read(str(WEB / "release-iso2022jp.txt"))
    assert article.title == "大阪・関西万博の来場者、累計1000万人を突破"
    assert article.published.isoformat() == "2025-07-14T00:00:00+09:00"
    assert article.body.startswith("日本国際博覧会協会は14日")


def test_stdin_is_sniffed_feed_page_or_json():
    [feed_item] = read("-", stdin=(WEB / "malformed.rss").read_bytes())[0]
    assert feed_item.title.startswith("大雪で東海道新幹線")
    [page], _ = read("-", stdin=(WEB / "page-sjis.html").read_bytes())
    assert page.url == "https://news.example.jp/articles/20250314-quake"
    record = json.dumps({"body": "北海道で震度５弱の揺れを観測した。", "published": "令和7年3月14日"}, ensure_ascii=False)
    [article], _ = read("-", stdin=record.encode("euc_jp"))
    assert article.published.isoformat() == "2025-03-14T00:00:00+09:00"


def test_folder_is_walked_in_path_order_and_duplicates_across_formats_are_dropped():
    found, warnings = read(str(WEB))
    items = [a for a in found if isinstance(a, Article)]
    assert [f.origin for f in found if isinstance(f, Failure)] == [str(WEB / "rss2-utf8.xml#3")]  # the cut-off teaser
    origins = [a.origin for a in items]
    assert origins == sorted(origins, key=lambda o: (o.split("#")[0], int(o.split("#")[1]) if "#" in o else 0))
    # The quake story is in the RSS feed and as a page (same canonical URL); the 万博 story
    # in the RDF feed and the ISO-2022-JP release (same text); and so on.
    assert "dropped 5 duplicate articles (1 by URL, 4 by text); the first of each was kept" in warnings
    assert len({a.title for a in items}) == len(items) == 5


def test_canonical_url():
    assert canonical_url("HTTPS://News.Example.jp:443/a/1?utm_source=rss&id=3&fbclid=x#top") == "https://news.example.jp/a/1?id=3"
    assert canonical_url("http://example.jp") == "http://example.jp/"
    assert canonical_url("http://example.jp:8080/x") == "http://example.jp:8080/x"


def test_fragment_and_cleaning():
    html = "<p>一段落目。<br>改行の後。</p><div>二段落目。<script>x()</script></div><p>写真：会場の様子</p>"
    assert fragment_text(html) == "一段落目。\n改行の後。\n\n二段落目。\n\n写真：会場の様子"
    text, date = clean_text("見出し\n2025年3月14日 10時05分\n本文。\n（撮影・山田太郎）\n■関連記事\n別の記事", "見出し")
    assert text == "本文。" and date == "2025年3月14日 10時05分"


def test_summarize_feed_and_page_end_to_end_json():
    out, err = io.StringIO(), io.StringIO()
    args = ["summarize", "--summarizer", "extractive", "--format", "json", str(WEB / "rdf-sjis.rdf"), str(WEB / "page-sjis.html")]
    code = main(args, stdin=io.BytesIO(b""), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["title"], r["url"], r["published"], r["source"]) for r in records] == [
        ("大阪・関西万博の来場者、累計1000万人を突破", "https://www.kahoku-example.jp/news/1", "2025-01-01T18:30:00+09:00", "東北例新報"),
        ("市議会、子ども医療費の無料化を18歳まで拡大する条例を可決", "https://www.kahoku-example.jp/news/2", "2024-12-31T16:20:00+09:00", "東北例新報"),
        ("北海道で震度５弱　けが人の情報なし", "https://news.example.jp/articles/20250314-quake", "2025-03-14T10:05:00+09:00", "例ニュース"),
    ]
    assert all(len(r["bullets"]) == 3 for r in records)
    assert records[2]["bullets"][0]["text"].startswith("14日午前9時48分ごろ、北海道東部を震源とする地震があり")


def test_gzipped_json_lines_and_parquet(tmp_path):
    """A corpus as shipped (articles.jsonl.gz) and as a Parquet table: the same articles, ids
    and dates as the plain JSON lines; a damaged gzip is one failure."""
    import gzip

    from kiku.ingest import read_inputs

    plain = tmp_path / "news.jsonl"
    lines = [
        {"id": "a1", "title": "日銀、金利据え置き", "body": "日本銀行は14日、政策金利を据え置いた。", "published": "2025/03/14 15:30"},
        {"body": "市は来年度から給食費を無償化する。", "url": "https://example.jp/a/2"},
    ]
    plain.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    with gzip.open(tmp_path / "news-gz.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(plain.read_text(encoding="utf-8"))
    (tmp_path / "broken.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes())[:40])

    def shape(articles):
        return [(a.id.replace("news-gz", "news"), a.title, a.body, a.url, a.published) for a in articles]

    expected = shape(read_inputs([str(plain)]))
    assert expected[1][0] == "news-2"
    assert shape(read_inputs([str(tmp_path / "news-gz.jsonl.gz")])) == expected
    broken = list(read_inputs([str(tmp_path / "broken.jsonl.gz")]))
    assert [type(x).__name__ for x in broken] == ["Failure"] and "broken.jsonl.gz" in broken[0].describe()
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    columns = ("id", "title", "body", "url", "published")
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in columns} for r in lines]), tmp_path / "news.parquet")
    parquet = list(read_inputs([str(tmp_path / "news.parquet")]))
    assert [(a.id, a.title, a.body, a.url, a.published) for a in parquet] == [
        ("a1", *expected[0][1:]), ("news-2", *expected[1][1:])
    ]
    assert parquet[0].origin.endswith("news.parquet[1]")
