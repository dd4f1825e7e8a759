"""Model calls to an OpenAI-compatible server (vLLM, llama.cpp's server, Ollama, TGI, …).

:class:`EndpointGenerator` offers what :class:`kiku.models.generate.Generator` offers — one
output per prompt, a token count for fitting context, a ``runtime`` for provenance — but each
prompt is one ``POST …/chat/completions`` request. Requests run in parallel (``model.
endpoint_parallel``) over one pooled connection set; a 429 or 5xx answer, a malformed one and a
dropped connection are retried with exponential backoff, honouring ``Retry-After``. A prompt that still
gets no answer (the server is down, too slow, answers garbage or an error) yields a
:class:`PromptFailed` in its place, so that only its article falls back to extractive bullets
and the rest of the run goes on. When the server cannot be reached at all, the endpoint is
marked down for a short while and the prompts in between fail at once instead of each waiting
out its own retries.

Constrained decoding needs the model's logits, which a server does not hand out: what comes
back is free writing, checked like any other (:mod:`kiku.summarizers.transformer`).
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from kiku.config import ModelConfig
from kiku.errors import ConfigError
from kiku.models.prompts import Prompt

log = logging.getLogger(__name__)

#: Environment variables that may hold the server's API key, in order of preference.
API_KEY_VARIABLES = ("KIKU_API_KEY", "OPENAI_API_KEY")
#: Longest wait honoured from a Retry-After header or the backoff, in seconds.
MAX_WAIT_S = 30.0
#: How long the endpoint counts as down after a request could not reach it at all.
DOWN_FOR_S = 15.0


class PromptFailed(Exception):
    """The server gave no usable answer to one prompt; its article falls back."""


def chat_url(endpoint: str) -> str:
    """The chat-completions URL of ``endpoint``: a server root (``http://host:8000``), its API
    base (``…/v1``) or the full URL (``…/v1/chat/completions``)."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"model.endpoint {endpoint!r}: give an http(s) URL such as http://127.0.0.1:8000/v1")
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions" if path.endswith("/v1") else "/v1/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def public_url(url: str) -> str:
    """``url`` without a user name or password, for records and messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class EndpointGenerator:
    """Chat completions from a server; built once per run, shared by its threads."""

    device = "endpoint"

    def __init__(self, config: ModelConfig, model: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.model = model
        self.url = chat_url(config.endpoint)
        #: The endpoint as recorded in JSON output (no credentials).
        self.endpoint = public_url(self.url)
        self.runtime = f"endpoint {self.endpoint}"
        #: Prompts per batch: one request each, ``endpoint_parallel`` in flight.
        self.batch_size = max(1, config.endpoint_parallel)
        key = next((os.environ[v] for v in API_KEY_VARIABLES if os.environ.get(v)), "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        timeout = config.endpoint_timeout_s
        self.client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            limits=httpx.Limits(max_connections=self.batch_size, max_keepalive_connections=self.batch_size),
            transport=transport,
            trust_env=True,
        )
        self._pool = ThreadPoolExecutor(max_workers=self.batch_size, thread_name_prefix="kiku-endpoint")
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_reason = ""
        self._warned = ""
        #: Requests of the last :meth:`generate` call that got no usable answer.
        self.failed = 0

    def served_model(self) -> str | None:
        """The first model the server lists (``GET …/models``), or None when it lists none or
        cannot be asked: the name to send when the user named none."""
        try:
            response = self.client.get(self.url.removesuffix("/chat/completions") + "/models", timeout=10.0)
            response.raise_for_status()
            models = response.json().get("data") or []
            name = models[0].get("id") if models and isinstance(models[0], dict) else None
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        return name if isinstance(name, str) and name else None

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        self.client.close()

    def count_tokens(self, text: str) -> int:
        """An upper estimate without the server's tokenizer: one token per character (Japanese
        runs at about 0.7–1 token a character in current tokenizers)."""
        return len(text)

    def generate(self, prompts: Sequence[Prompt], *, constrained: bool = False) -> list[str | PromptFailed]:
        """One output per prompt, in order; a :class:`PromptFailed` where the server gave none.
        ``constrained`` is ignored: a server writes freely (its output is checked)."""
        outputs = list(self._pool.map(self._one, prompts))
        failures = [o for o in outputs if isinstance(o, PromptFailed)]
        self.failed = len(failures)
        # One line per kind of trouble, not one per request (a server down for an hour).
        reason = str(failures[0]) if failures else ""
        if failures and reason != self._warned:
            log.warning("%d of %d requests got no usable answer: %s; their articles get extractive bullets", len(failures), len(outputs), reason)
        self._warned = reason
        return outputs

    # -- one request ----------------------------------------------------------------------------

    def _payload(self, prompt: Prompt) -> dict[str, Any]:
        if prompt.messages:
            messages = [{"role": role, "content": content} for role, content in prompt.messages]
        else:
            messages = [{"role": "user", "content": prompt.text}]
        # Room for every line it is asked for (a Japanese character is at most about two
        # tokens), and a few lines' worth for free writing.
        lines = max(1, len(prompt.sentences), prompt.lines)
        budget = lines * 2 * (prompt.max_chars or 80) + 16
        return {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": budget, "stream": False}

    def _one(self, prompt: Prompt) -> str | PromptFailed:
        try:
            return self._request(self._payload(prompt))
        except PromptFailed as exc:
            return exc

    def _request(self, payload: dict[str, Any]) -> str:
        attempts = self.config.endpoint_retries + 1
        last = ""
        for attempt in range(attempts):
            down = self._down()
            if down:
                raise PromptFailed(down)
            wait: float | None = None
            try:
                response = self.client.post(self.url, json=payload)
            except httpx.TimeoutException as exc:
                last = f"no answer within {self.config.endpoint_timeout_s:g} s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                last = f"cannot reach {self.endpoint} ({type(exc).__name__}: {exc})"
                if attempt == attempts - 1:
                    self._mark_down(last)
            else:
                if response.status_code == 200:
                    try:
                        return self._content(response)
                    except PromptFailed as exc:  # a proxy's error page, a server mid-restart: retried
                        last = str(exc)
                else:
                    last = f"HTTP {response.status_code} from {self.endpoint}: {_snippet(response.text)}"
                    if response.status_code != 429 and response.status_code < 500:
                        raise PromptFailed(last)  # a request the server will never accept (400, 401, 404)
                    wait = retry_after(response.headers.get("retry-after"))
            if attempt < attempts - 1:
                backoff = 0.5 * 2**attempt * (1 + random.random() / 2)
                time.sleep(min(MAX_WAIT_S, wait if wait is not None else backoff))
        raise PromptFailed(last)

    def _content(self, response: httpx.Response) -> str:
        try:
            data = response.json()
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise PromptFailed(f"malformed answer from {self.endpoint}: {_snippet(response.text)}") from None
        if not isinstance(content, str):
            raise PromptFailed(f"malformed answer from {self.endpoint}: content is {type(content).__name__}")
        return content

    def _down(self) -> str:
        with self._lock:
            return self._down_reason if time.monotonic() < self._down_until else ""

    def _mark_down(self, reason: str) -> None:
        with self._lock:
            self._down_until = time.monotonic() + DOWN_FOR_S
            self._down_reason = reason


def _snippet(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit] + "…"
