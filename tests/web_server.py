"""A misbehaving news site on 127.0.0.1 for the fetch tests: real HTTP, real sockets.

It serves a teaser-only RSS feed whose items link to good pages (Shift_JIS, EUC-JP without a
declared charset, UTF-8 behind a redirect) and to bad ones: a slow page, a redirect loop, a
redirect to ftp, an endless body, an image, a 404. It records each request (path, headers,
start time) and the most requests it had in flight at once.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).parent / "data" / "web"

BOJ_PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<title>日銀、政策金利を据え置き | 例ニュース</title><meta property="og:site_name" content="例ニュース">
<meta property="article:published_time" content="2025-03-14T15:30:00+09:00"></head><body>
<nav><a href="/">トップ</a> <a href="/economy">経済</a></nav><article><h1>日銀、政策金利を据え置き</h1>
<p>日本銀行は14日まで開いた金融政策決定会合で、政策金利を0.5％程度に据え置くことを決めた。据え置きは２会合連続となる。</p>
<p>植田和男総裁は会合後の記者会見で「賃金と物価の好循環が続いているかを慎重に見極めたい」と述べた。</p>
<p>市場では、次の利上げは夏以降になるとの見方が多い。会合では委員９人のうち１人が利上げを提案したが、反対多数で否決された。</p>
</article><footer>例ニュース</footer></body></html>"""

TEASERS = [
    ("/articles/quake", "北海道で震度５弱　けが人の情報なし", "北海道東部で14日朝、震度５弱の地震があった。けが人の情報は…"),
    ("/articles/council", "市議会、子ども医療費の無料化を18歳まで拡大", "横浜市議会は14日、子ども医療費の条例の改正案を可決した…"),
    ("/redirect/boj", "日銀、政策金利を据え置き", "日銀は14日の金融政策決定会合で、政策金利を据え置いた。…"),
    ("/slow", "応答の遅いページ", "このページは応答がとても遅く、時間内には返ってこない…"),
    ("/loop/a", "転送が循環するページ", "このページは転送が循環していて、いつまでも終わらない…"),
    ("/to-ftp", "ftpへ転送するページ", "このページはftpのアドレスへ転送されるので読めない…"),
    ("/huge", "巨大なページ", "このページの本文は終わらないほど大きく、上限を超える…"),
    ("/image", "画像が返るページ", "このページは記事ではなく画像のデータを返してくる…"),
    ("/missing", "削除された記事", "この記事はすでに削除されていて、サーバーは見つからないと…"),
]


def feed_xml(base: str) -> bytes:
    items = "".join(
        # The first item's link is relative, as some sites write them: it resolves against the feed's URL.
        f"<item><title>{title}</title><link>{'' if n == 0 else base}{path}</link>"
        f"<pubDate>Fri, 14 Mar 2025 1{n}:00:00 +0900</pubDate><description>{teaser}</description></item>"
        for n, (path, title, teaser) in enumerate(TEASERS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>例ニュース</title>'
        f"<link>{base}/</link><lastBuildDate>Fri, 14 Mar 2025 20:00:00 +0900</lastBuildDate>{items}</channel></rss>"
    ).encode("utf-8")


class Site:
    """Start with ``with Site() as site:``; ``site.base`` is its URL."""

    def __init__(self, slow_s: float = 4.0, page_delay_s: float = 0.0, trickle_s: float = 0.5, robots: str | None = None) -> None:
        self.slow_s = slow_s
        self.trickle_s = trickle_s
        #: The site's robots.txt (None: there is none, 404).
        self.robots = robots
        #: Requests that came as to a proxy (an absolute URL in the request line).
        self.proxied: list[str] = []
        self.page_delay_s = page_delay_s
        self.requests: list[tuple[str, dict[str, str], float]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                with site.lock:
                    site.requests.append((self.path, dict(self.headers.items()), time.monotonic()))
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    site.route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should for /huge and /slow
                finally:
                    with site.lock:
                        site.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p == path)

    def route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path.startswith("http://"):  # asked as a proxy: serve the path of the URL
            self.proxied.append(path)
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        if path == "/robots.txt" and self.robots is not None:
            return self.send(h, 200, self.robots.encode("utf-8"), "text/plain; charset=utf-8")
        if path == "/feed.xml":
            if h.headers.get("If-None-Match") == '"v1"':
                return self.send(h, 304, b"", None)
            return self.send(h, 200, feed_xml(self.base), "application/rss+xml", {"ETag": '"v1"'})
        if self.page_delay_s and path.startswith("/articles/"):
            time.sleep(self.page_delay_s)
        if path == "/articles/quake":
            return self.send(h, 200, (WEB / "page-sjis.html").read_bytes(), "text/html")  # charset only in <meta>
        if path == "/articles/council":
            return self.send(h, 200, (WEB / "page-eucjp.htm").read_bytes(), "text/html")  # no charset anywhere
        if path == "/articles/boj":
            return self.send(h, 200, BOJ_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        if path.startswith("/articles/page"):
            return self.send(h, 200, BOJ_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        if path == "/redirect/boj":
            return self.send(h, 301, b"", None, {"Location": "/articles/boj"})
        if path == "/loop/a":
            return self.send(h, 302, b"", None, {"Location": "/loop/b"})
        if path == "/loop/b":
            return self.send(h, 302, b"", None, {"Location": "/loop/a"})
        if path == "/to-ftp":
            return self.send(h, 302, b"", None, {"Location": "ftp://127.0.0.1/article.html"})
        if path == "/slow":
            time.sleep(self.slow_s)
            return self.send(h, 200, BOJ_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        if path == "/huge":
            # No Content-Length and a body that would not end for a long while: the client must
            # stop reading at its size cap. Bounded so that the server stops by itself.
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.end_headers()
            chunk = ("<p>" + "あ" * 10000 + "</p>").encode("utf-8")
            for _ in range(2000):
                h.wfile.write(chunk)
            return None
        if path == "/trickle":
            # The status line and headers one byte at a time, each within the read timeout: only
            # a deadline for the whole answer stops this. Bounded, so the server stops by itself.
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"x" * 40 + b"\r\n\r\n"
            for byte in head:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(self.trickle_s)
            return None
        if path == "/image":
            return self.send(h, 200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        return self.send(h, 404, "見つかりません".encode("utf-8"), "text/plain; charset=utf-8")

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body:
            h.wfile.write(body)
