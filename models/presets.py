"""Model presets (``configs/models.toml``) and what ``--model`` may name.

``--model`` takes a preset name, a local folder saved with ``save_pretrained``, a ``.gguf`` file,
or a Hugging Face hub id; :func:`resolve_model` turns each into a :class:`ModelPreset`, so the
loading code downstream has one shape to deal with.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kiku.errors import ConfigError

KINDS = ("causal-chat", "causal-base", "seq2seq")
PROMPTS = ("chat", "base", "seq2seq")
DTYPES = ("float32", "bfloat16")


@dataclass(frozen=True, slots=True)
class ModelPreset:
    """Where a model's weights come from and how to prompt it."""

    name: str
    kind: str
    prompt: str
    dtype: str = "float32"
    max_new_tokens: int = 64
    description: str = ""
    licence: str = ""
    #: A local folder with config.json (``save_pretrained`` layout).
    folder: str | None = None
    #: A hub repository id and revision (a commit hash, a tag or a branch).
    hub: str | None = None
    revision: str | None = None
    #: A GGUF file: its name (in the hub repository, or as assembled from packages), or a path.
    gguf: str | None = None
    sha256: str | None = None
    size: int | None = None
    #: Registry packages that carry the GGUF file in parts: module name with ``{n}``, and count.
    package_module: str | None = None
    package_count: int = 0
    #: The command that installs the packages, for messages.
    install: str | None = None

    @property
    def source(self) -> str:
        """Where the weights come from, in words (for ``kiku models`` and provenance)."""
        if self.package_module:
            return f"registry packages ({self.package_module.format(n='1')}…{self.package_count}), GGUF sha256 {self.sha256}"
        if self.folder:
            return f"local folder {self.folder}"
        if self.gguf and not self.hub:
            return f"GGUF file {self.gguf}"
        if self.gguf:
            return f"hub {self.hub}@{self.revision} file {self.gguf}"
        return f"hub {self.hub}@{self.revision or 'main'}"


_FIELDS = set(ModelPreset.__dataclass_fields__) - {"name"}


def presets_text() -> str:
    return resources.files("kiku.configs").joinpath("models.toml").read_text(encoding="utf-8")


def load_presets() -> dict[str, ModelPreset]:
    """Every preset in ``configs/models.toml``, validated."""
    data = tomllib.loads(presets_text())
    return {name: _preset(name, table, "configs/models.toml") for name, table in data.items()}


def _preset(name: str, table: dict[str, Any], where: str) -> ModelPreset:
    unknown = set(table) - _FIELDS
    if unknown:
        raise ConfigError(f"{where}: preset {name!r} has unknown keys {sorted(unknown)}; valid: {sorted(_FIELDS)}")
    preset = ModelPreset(name=name, **table)
    if preset.kind not in KINDS:
        raise ConfigError(f"{where}: preset {name!r}: kind must be one of {', '.join(KINDS)}")
    if preset.prompt not in PROMPTS:
        raise ConfigError(f"{where}: preset {name!r}: prompt must be one of {', '.join(PROMPTS)}")
    if preset.dtype not in DTYPES:
        raise ConfigError(f"{where}: preset {name!r}: dtype must be one of {', '.join(DTYPES)}")
    if not (preset.folder or preset.hub or preset.gguf):
        raise ConfigError(f"{where}: preset {name!r} names no weights (folder, hub or gguf)")
    if preset.package_module and not (preset.sha256 and preset.gguf and preset.package_count):
        raise ConfigError(f"{where}: preset {name!r}: packages need gguf, sha256 and package_count")
    return preset


def resolve_model(spec: str, presets: dict[str, ModelPreset] | None = None) -> ModelPreset:
    """A preset name, a local folder, a ``.gguf`` file or a hub id, as a preset."""
    presets = load_presets() if presets is None else presets
    if spec in presets:
        return presets[spec]
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ConfigError(
                f"{spec}: this folder has no config.json; give a folder written by "
                "save_pretrained, a .gguf file, a hub id or one of the presets: " + ", ".join(presets)
            )
        kind = _folder_kind(path)
        return ModelPreset(
            name=str(path), kind=kind, prompt={"seq2seq": "seq2seq"}.get(kind, "chat" if kind == "causal-chat" else "base"),
            folder=str(path.resolve()),
        )
    if path.suffix.lower() == ".gguf":
        if not path.is_file():
            raise ConfigError(f"{spec}: GGUF file not found")
        return ModelPreset(name=path.name, kind="causal-chat", prompt="chat", gguf=str(path.resolve()))
    if spec.count("/") == 1 and not path.exists() and not spec.startswith((".", "/", "~")):
        return ModelPreset(name=spec, kind="causal-chat", prompt="chat", hub=spec, revision="main")
    raise ConfigError(
        f"unknown model {spec!r}: give a preset ({', '.join(presets)}), a local model folder, "
        "a .gguf file or a hub id like org/name"
    )


def _folder_kind(path: Path) -> str:
    import json

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    if config.get("is_encoder_decoder"):
        return "seq2seq"
    template = (path / "chat_template.jinja").is_file()
    tokenizer_config = path / "tokenizer_config.json"
    if tokenizer_config.is_file():
        template = template or bool(json.loads(tokenizer_config.read_text(encoding="utf-8")).get("chat_template"))
    return "causal-chat" if template else "causal-base"
