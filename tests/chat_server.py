"""An OpenAI-compatible chat-completions server on 127.0.0.1 for the endpoint tests: real HTTP,
real sockets, and every way a real server misbehaves.

Its "model" answers a rewrite prompt (``文1: …`` lines) with each sentence as given — a bullet
the checks can pass or refuse on length — and any other prompt with ``answer``. ``plan`` is a
list of behaviours taken one per request (then ``default``): ``"ok"``, ``"500"``, ``"429"``
(with ``Retry-After: 1``), ``"slow"`` (answers after ``slow_s``), ``"garbage"`` (200 with a body
that is not JSON), ``"empty"`` (JSON without choices), or a string starting with ``"say:"``
(answer that text); ``answers`` maps a phrase of an instruction to what is said to it, ``cuts`` a
sentence of a rewrite prompt to what is said for it. It records each request: headers, body, start time.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_LINE = re.compile(r"^文\d+: (.*)$", re.MULTILINE)


class ChatServer:
    """Start with ``with ChatServer() as server:``; ``server.url`` is its API base (…/v1)."""

    def __init__(
        self, plan: list[str] | None = None, default: str = "ok", slow_s: float = 2.0, answer: str = "", answers: dict[str, str] | None = None,
        cuts: dict[str, str] | None = None,
    ) -> None:
        self.plan = list(plan or [])
        self.default = default
        self.slow_s = slow_s
        self.answer = answer
        self.answers = dict(answers or {})
        self.cuts = dict(cuts or {})
        self.requests: list[tuple[dict[str, str], dict[str, Any], float]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                self._send(200, json.dumps({"object": "list", "data": [{"id": "tiny-server-model", "object": "model"}]}))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with server.lock:
                    server.requests.append((dict(self.headers.items()), body, time.monotonic()))
                    behaviour = server.plan.pop(0) if server.plan else server.default
                if self.path != "/v1/chat/completions":
                    self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
                elif behaviour == "500":
                    self._send(500, json.dumps({"error": {"message": "internal error"}}))
                elif behaviour == "429":
                    self._send(429, json.dumps({"error": {"message": "rate limited"}}), {"Retry-After": "1"})
                elif behaviour == "garbage":
                    self._send(200, "<html>502 Bad Gateway</html>")
                elif behaviour == "empty":
                    self._send(200, json.dumps({"id": "x", "choices": []}))
                else:
                    if behaviour == "slow":
                        time.sleep(server.slow_s)
                    text = behaviour[4:] if behaviour.startswith("say:") else server.reply(body)
                    answer = {
                        "id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    }
                    try:
                        self._send(200, json.dumps(answer, ensure_ascii=False))
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up waiting

            def _send(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def reply(self, body: dict[str, Any]) -> str:
        """The sentences of the last user message, one line each (a rewrite prompt: as given,
        or as ``cuts`` says); else the first of ``answers`` whose key the message holds; else
        ``answer``."""
        last = body["messages"][-1]["content"]
        lines = _LINE.findall(last)
        if lines:
            return "\n".join(self.cuts.get(line, line) for line in lines)
        return next((reply for key, reply in self.answers.items() if key in last), self.answer)

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
