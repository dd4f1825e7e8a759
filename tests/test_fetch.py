"""Feeds and pages over HTTP, against a real server on 127.0.0.1 that misbehaves on purpose."""

from __future__ import annotations

import io
import json

import pytest

from kiku.cli import main
from kiku.config import load_config
from kiku.fetch import FetchError, Fetcher
from kiku.ingest import read_inputs
from kiku.types import Article, Failure
from tests.web_server import Site


def limits(tmp_path, **extra: object) -> list[str]:
    """--set overrides that make the limits small enough to hit quickly."""
    values = {
        "connect_timeout_s": 1.0,
        # Generous enough for a busy machine, well under the slow page's 4 s.
        "read_timeout_s": 1.5,
        "total_timeout_s": 3.0,
        "max_bytes": 200_000,
        "max_redirects": 3,
        "delay_s": 0.0,
        "cache_dir": json.dumps(str(tmp_path / "http-cache")),
        **extra,
    }
    return [f"input.{k}={v}" for k, v in values.items()]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.BytesIO(b""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def summarize(site: Site, tmp_path, *extra: str) -> tuple[int, dict[str, dict], str]:
    sets = [a for o in limits(tmp_path) for a in ("--set", o)]
    code, out, err = cli("summarize", "--summarizer", "extractive", "--format", "json", *sets, *extra, f"{site.base}/feed.xml")
    return code, {json.loads(line)["title"]: json.loads(line) for line in out.splitlines()}, err


def test_fetch_gives_full_text_and_each_bad_page_its_own_error(tmp_path):
    with Site() as site:
        code, records, err = summarize(site, tmp_path, "--fetch")
    assert code == 1  # some pages failed; the good ones are summarised
    quake = records["北海道で震度５弱　けが人の情報なし"]
    assert len(quake["bullets"]) == 3
    assert "釧路市で震度５弱の揺れを観測した" in quake["bullets"][0]["text"]
    assert quake["url"] == f"{site.base}/articles/quake"
    assert quake["published"] == "2025-03-14T10:00:00+09:00"  # the feed's date for the item
    assert quake["source"] == "例ニュース"
    # EUC-JP page without a declared charset, and a page behind a redirect.
    council = records["市議会、子ども医療費の無料化を18歳まで拡大"]
    assert any("18歳まで広げる条例の改正案" in b["text"] for b in council["bullets"])
    boj = records["日銀、政策金利を据え置き"]
    assert any("政策金利を0.5％程度に据え置く" in b["text"] for b in boj["bullets"])
    assert len(records) == 3
    # One line per bad page, naming its URL and the reason.
    lines = [line for line in err.splitlines() if site.base in line]
    expect = {
        "/slow": "did not answer within 1.5 s",
        "/loop/a": "redirected more than 3 times",
        "/to-ftp": "not http or https",
        "/huge": "over the 200,000-byte limit",
        "/image": "is image/png, not an HTML page or a feed",
        "/missing": "answered 404",
    }
    for path, reason in expect.items():
        assert any(f"{site.base}{path}" in line and reason in line for line in lines), (path, err)
    assert "Traceback" not in err


def test_a_rerun_reads_pages_from_the_cache_and_revalidates_the_feed(tmp_path):
    with Site() as site:
        summarize(site, tmp_path, "--fetch")
        assert site.hits("/articles/quake") == 1 and site.hits("/feed.xml") == 1
        code, records, _ = summarize(site, tmp_path, "--fetch")
        assert site.hits("/articles/quake") == 1  # not fetched again
        assert site.hits("/articles/council") == 1 and site.hits("/articles/boj") == 1
        # The feed is asked for again, conditionally, and the server answers 304.
        assert site.hits("/feed.xml") == 2
        feed_requests = [headers for path, headers, _ in site.requests if path == "/feed.xml"]
        assert feed_requests[1].get("If-None-Match") == '"v1"'
    assert len(records) == 3


def test_without_fetch_teasers_are_summarised_as_they_are_and_no_page_is_requested(tmp_path):
    with Site() as site:
        code, records, err = summarize(site, tmp_path)
        assert [p for p, _, _ in site.requests] == ["/feed.xml"]
    # A teaser's cut-off last sentence is dropped (half a sentence can say the opposite);
    # items left with nothing are reported, pointing at --fetch.
    assert code == 1
    assert set(records) == {"北海道で震度５弱　けが人の情報なし", "日銀、政策金利を据え置き"}
    assert [b["text"] for b in records["日銀、政策金利を据え置き"]["bullets"]] == [
        "日銀は14日の金融政策決定会合で、政策金利を据え置いた。"
    ]
    assert [b["text"] for b in records["北海道で震度５弱　けが人の情報なし"]["bullets"]] == [
        "北海道東部で14日朝、震度５弱の地震があった。"
    ]
    assert "feed.xml#2: feed item 「市議会、子ども医療費の無料化を18歳まで拡大」 has only a cut-off teaser; use --fetch" in err
    assert "malformed" not in err


def test_user_agent_per_host_limit_and_delay(tmp_path):
    settings = load_config(overrides=limits(tmp_path, per_host=2, workers=4, delay_s=0.2)).input
    with Site(page_delay_s=0.5) as site, Fetcher(settings) as fetcher:
        urls = [f"{site.base}/articles/page{n}" for n in range(6)]
        results = list(fetcher.get_many(urls))
        starts = sorted(t for _, _, t in site.requests)
        agents = {headers.get("User-Agent") for _, headers, _ in site.requests}
    assert all(not isinstance(r, FetchError) for r in results)
    assert [r.url for r in results] == urls  # in order, whatever order they finished in
    assert site.max_in_flight == 2
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= 0.15, gaps  # 0.2 s apart at the client, less a little network jitter
    [agent] = agents
    assert agent.startswith("Kiku/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1/feed.xml", "only http and https URLs are fetched, not ftp"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file"),
        ("https:///feed.xml", "URL has no host name"),
    ],
)
def test_only_http_urls_are_fetched(tmp_path, url, reason):
    settings = load_config(overrides=limits(tmp_path)).input
    [item] = list(read_inputs([url], settings=settings))
    assert isinstance(item, Failure) and item.origin == url and reason in item.message


def test_a_page_url_and_a_shift_jis_page_with_charset_only_in_meta(tmp_path):
    settings = load_config(overrides=limits(tmp_path)).input
    with Site() as site:
        [article] = list(read_inputs([f"{site.base}/articles/quake"], settings=settings))
    assert isinstance(article, Article)
    assert article.title == "北海道で震度５弱　けが人の情報なし"
    # The page's canonical link wins over the address it was fetched from.
    assert article.url == "https://news.example.jp/articles/20250314-quake"
    assert article.published.isoformat() == "2025-03-14T10:05:00+09:00"
    assert "釧路市で震度５弱" in article.body and "関連記事" not in article.body


def test_fetch_honours_robots_txt(tmp_path):
    # The site forbids its council article to every crawler: --fetch leaves it (one failure, the
    # rest go on); input.robots=false reads it.
    with Site(robots="User-agent: *\nDisallow: /articles/council\n") as site:
        code, records, err = summarize(site, tmp_path, "--fetch")
        assert "robots.txt does not allow Kiku/" in err and "/articles/council" in err
        assert "北海道で震度５弱　けが人の情報なし" in records and len(records["北海道で震度５弱　けが人の情報なし"]["bullets"]) == 3
        assert site.hits("/articles/council") == 0 and site.hits("/robots.txt") == 1  # read once per host
        code, records, err = summarize(site, tmp_path / "again", "--fetch", "--set", "input.robots=false")
        assert "robots.txt" not in err and site.hits("/articles/council") == 1


def test_requests_go_through_the_proxy_given_or_in_the_environment(tmp_path, monkeypatch):
    # news.invalid does not resolve: the page can only come through the proxy.
    url = "http://news.invalid/articles/boj"
    with Site() as proxy:
        sets = [a for o in limits(tmp_path, proxy=json.dumps(proxy.base)) for a in ("--set", o)]
        code, out, err = cli("summarize", "--summarizer", "extractive", *sets, url)
        assert code == 0, err
        assert proxy.proxied == [url] and "日銀" in out
    with Site() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base)
        monkeypatch.delenv("NO_PROXY", raising=False)
        sets = [a for o in limits(tmp_path / "env") for a in ("--set", o)]
        code, out, err = cli("summarize", "--summarizer", "extractive", *sets, url)
        assert code == 0, err
        assert proxy.proxied == [url]
