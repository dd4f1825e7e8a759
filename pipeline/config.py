"""Configuration: ``configs/default.toml`` laid under user files and ``--set`` overrides.

The defaults file is the single list of keys: a user file or override that names a key it does
not have is an error that lists the valid ones. The result is a typed, immutable ``Config``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kiku.errors import ConfigError


@dataclass(frozen=True, slots=True)
class SummaryConfig:
    summarizer: str
    bullets: int
    max_chars: int
    min_chars: int


@dataclass(frozen=True, slots=True)
class ExtractiveConfig:
    centrality_weight: float
    title_weight: float
    position_weight: float
    position_decay: float
    anaphora_penalty: float
    quote_penalty: float
    redundancy: float


@dataclass(frozen=True, slots=True)
class ModelConfig:
    preset: str
    device: str
    batch_size: int
    gpu_batch_size: int
    threads: int
    quantize: str
    constrained: bool
    retry: str
    prompts: str
    context_tokens: int
    timeout_s: float
    endpoint: str
    endpoint_parallel: int
    endpoint_timeout_s: float
    endpoint_retries: int
    cache_dir: str


@dataclass(frozen=True, slots=True)
class InputConfig:
    fetch: bool
    teaser_chars: int
    connect_timeout_s: float
    read_timeout_s: float
    total_timeout_s: float
    max_bytes: int
    max_redirects: int
    workers: int
    per_host: int
    delay_s: float
    user_agent: str
    proxy: str
    robots: bool
    cache_dir: str


@dataclass(frozen=True, slots=True)
class DigestConfig:
    similarity: float
    sections: int
    points: int
    bridges: bool
    writing: str


@dataclass(frozen=True, slots=True)
class Config:
    summary: SummaryConfig
    extractive: ExtractiveConfig
    model: ModelConfig
    input: InputConfig
    digest: DigestConfig

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)

    @property
    def hash(self) -> str:
        """A short, stable hash of every value that shapes a summary, recorded with each
        output. How inputs are read and fetched ([input]) and how digests are laid out
        ([digest]) are left out: the same article gives the same summary either way."""
        values = {k: v for k, v in self.to_dict().items() if k not in ("input", "digest")}
        blob = json.dumps(values, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


_SECTIONS: dict[str, type] = {
    "summary": SummaryConfig,
    "extractive": ExtractiveConfig,
    "model": ModelConfig,
    "input": InputConfig,
    "digest": DigestConfig,
}


def cache_root() -> Path:
    """Where Kiku keeps what it can rebuild (converted models, fetched pages): ``$KIKU_CACHE``,
    else ``$XDG_CACHE_HOME/kiku``, else ``~/.cache/kiku``. ``model.cache_dir`` and
    ``input.cache_dir`` override it for their part."""
    if os.environ.get("KIKU_CACHE"):
        return Path(os.environ["KIKU_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "kiku"


def default_config_text() -> str:
    return resources.files("kiku.configs").joinpath("default.toml").read_text(encoding="utf-8")


def _defaults() -> dict[str, dict[str, Any]]:
    return tomllib.loads(default_config_text())


def _parse_value(raw: str) -> Any:
    """A ``--set`` value is read as a TOML value (60, 0.5, true, "x"); anything else is a string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _check_type(where: str, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
        if ok and not math.isfinite(value):
            # inf and nan would pass every range check and then turn up in the JSON output,
            # which has no way to write them.
            raise ConfigError(f"{where}: {key} must be a finite number, got {value!r}")
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(
            f"{where}: {key} must be {type(default).__name__} (like the default {default!r}), "
            f"got {value!r}"
        )
    return value


def _overlay(base: dict[str, dict[str, Any]], layer: Mapping[str, Any], where: str) -> None:
    for section, values in layer.items():
        if section not in base:
            raise ConfigError(
                f"{where}: unknown section [{section}]; valid sections: {', '.join(base)}"
            )
        if not isinstance(values, Mapping):
            raise ConfigError(f"{where}: [{section}] must be a table of keys")
        for key, value in values.items():
            if key not in base[section]:
                raise ConfigError(
                    f"{where}: unknown key {section}.{key}; valid keys in [{section}]: "
                    f"{', '.join(base[section])}"
                )
            base[section][key] = _check_type(where, f"{section}.{key}", value, base[section][key])


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file (a config or feeds file) as a table; a :class:`ConfigError` that names the
    file and what is wrong with it otherwise."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def load_config(
    files: Iterable[str | Path] = (), overrides: Iterable[str] = ()
) -> Config:
    """Defaults, then each file in order, then each ``section.key=value`` override."""
    values = _defaults()
    for file in files:
        path = Path(file)
        _overlay(values, read_toml(path, "config file"), str(path))
    for item in overrides:
        key, sep, raw = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or not name:
            raise ConfigError(
                f"--set {item}: write it as section.key=value, e.g. --set summary.max_chars=60"
            )
        _overlay(values, {section: {name: _parse_value(raw.strip())}}, f"--set {item}")
    return _build(values)


def _build(values: dict[str, dict[str, Any]]) -> Config:
    sections = {name: cls(**values[name]) for name, cls in _SECTIONS.items()}
    config = Config(**sections)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    s = config.summary
    if s.bullets < 1:
        raise ConfigError(f"summary.bullets must be at least 1, got {s.bullets}")
    if s.max_chars < 20:
        raise ConfigError(
            f"summary.max_chars must be at least 20 characters, got {s.max_chars}"
        )
    if not 0 <= s.min_chars < s.max_chars:
        raise ConfigError(
            f"summary.min_chars must be between 0 and summary.max_chars ({s.max_chars}), "
            f"got {s.min_chars}"
        )
    e = config.extractive
    if not 0 < e.redundancy <= 1:
        raise ConfigError(f"extractive.redundancy must be in (0, 1], got {e.redundancy}")
    if e.position_decay <= 0:
        raise ConfigError(f"extractive.position_decay must be positive, got {e.position_decay}")
    m = config.model
    if m.batch_size < 1 or m.gpu_batch_size < 1:
        raise ConfigError(f"model.batch_size and model.gpu_batch_size must be at least 1, got {m.batch_size} and {m.gpu_batch_size}")
    if m.prompts not in ("auto", "article", "sentence"):
        raise ConfigError(f"model.prompts must be \"auto\", \"article\" or \"sentence\", got {m.prompts!r}")
    if m.retry not in ("auto", "always", "never"):
        raise ConfigError(f"model.retry must be \"auto\", \"always\" or \"never\", got {m.retry!r}")
    if m.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"model.device must be \"auto\", \"cpu\" or \"cuda\", got {m.device!r}")
    if m.threads < 0:
        raise ConfigError(f"model.threads must be 0 (torch's default) or more, got {m.threads}")
    if m.quantize not in ("int8", "none"):
        raise ConfigError(f"model.quantize must be \"int8\" or \"none\", got {m.quantize!r}")
    if m.context_tokens < 0 or m.timeout_s < 0:
        raise ConfigError("model.context_tokens and model.timeout_s must not be negative")
    if m.endpoint_parallel < 1 or m.endpoint_timeout_s <= 0 or m.endpoint_retries < 0:
        raise ConfigError("model.endpoint_parallel must be at least 1, model.endpoint_timeout_s positive, model.endpoint_retries at least 0")
    if m.endpoint and not m.endpoint.startswith(("http://", "https://")):
        raise ConfigError(f"model.endpoint {m.endpoint!r}: give an http(s) URL such as http://127.0.0.1:8000/v1")
    i = config.input
    if min(i.connect_timeout_s, i.read_timeout_s, i.total_timeout_s) <= 0:
        raise ConfigError("input.connect_timeout_s, read_timeout_s and total_timeout_s must be positive")
    if i.max_bytes < 1024 or i.max_redirects < 0 or i.workers < 1 or i.per_host < 1 or i.delay_s < 0:
        raise ConfigError(
            "input.max_bytes must be at least 1024, input.max_redirects and input.delay_s at "
            "least 0, input.workers and input.per_host at least 1"
        )
    d = config.digest
    if not 0 < d.similarity < 1:
        raise ConfigError(f"digest.similarity must be between 0 and 1, got {d.similarity}")
    if d.writing not in ("free", "cut"):
        raise ConfigError(f"digest.writing must be \"free\" or \"cut\", got {d.writing!r}")
    if d.sections < 1 or d.points < 0:
        raise ConfigError("digest.sections must be at least 1 and digest.points at least 0")
