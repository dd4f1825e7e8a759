"""The one module that runs a model: load it once on its device, generate in batches.

:class:`Generator` is built once per process from a preset and the ``[model]`` config:

- **Device** (:func:`choose_device`): ``auto`` takes a CUDA GPU when torch sees one, else the
  CPU; ``cuda`` without a GPU is a configuration error.
- **Weights**: with ``model.quantize = "int8"`` (the default) the model prepared once in the cache
  (:func:`kiku.models.weights.prepare_int8`) is loaded in seconds: on a CPU its linear layers run
  as int8 (dynamic quantisation of the activations), on a GPU they are expanded to bfloat16.
  With ``"none"`` the original float weights are loaded (slow to start; the reference path).
- **Prompts** are rendered (chat template, plain text or seq2seq input) and padded on the left.
  The part every prompt of a kind shares — the system text and the worked example — is run
  through the model once per process and its keys and values reused for every call (a prefix
  cache), so each call computes only the article's own tokens.
- **Generation** is greedy and deterministic, under ``torch.inference_mode()``, through
  ``model.generate``. With ``constrained`` prompts a logits processor lets line *k* of the output
  only delete from the prompt's *k*-th sentence.
"""

from __future__ import annotations

import inspect
import logging
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
import transformers
from safetensors import SafetensorError
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    GenerationConfig,
    LogitsProcessor,
    LogitsProcessorList,
)

from kiku.config import ModelConfig
from kiku.errors import ConfigError
from kiku.models.presets import ModelPreset
from kiku.models.prompts import Prompt
from kiku.models.weights import WEIGHTS, _first_line, load_float, locate, prepare_int8

log = logging.getLogger("kiku")

DEVICES = ("auto", "cpu", "cuda")
# transformers 5.2x names the key-value cache argument `cache`; earlier 5.x `past_key_values`.
_CACHE = "cache" if "cache" in inspect.signature(transformers.GenerationMixin.prepare_inputs_for_generation).parameters else "past_key_values"


def choose_device(requested: str) -> str:
    """``cpu`` or ``cuda`` for ``requested`` (auto, cpu or cuda)."""
    if requested not in DEVICES:
        raise ConfigError(f"model.device must be one of {', '.join(DEVICES)}, got {requested!r}")
    if requested == "cpu":
        return "cpu"
    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        raise ConfigError("--device cuda: torch sees no CUDA GPU here; use --device cpu (or auto)")
    return "cuda" if available else "cpu"


# --------------------------------------------------------------------------------------------
# Constrained decoding


#: More characters than any line may write: a line that cannot end as the rules allow.
_NEVER = 1 << 20


class SubsequenceLogitsProcessor(LogitsProcessor):
    """Row ``b`` writes one line per sentence of ``sources[b]``: line *k* may use only the tokens
    of sentence *k*, each at or after the last one it used, so every line is its sentence with
    words deleted — nothing added, changed or reordered. ``newline_id`` ends a line (and moves to
    the next sentence); after the last line only an end-of-sequence token is allowed.

    With a ``budget`` (characters per line) and each source token's ``chars``, a token is allowed
    only if the line can still end within the budget *with its sentence's last tokens* (the end
    of the sentence, its predicate, must be kept): a sentence too long to copy is shortened
    where the model chooses, instead of being copied whole and refused.

    A line ends only after its sentence's last token: the end of a Japanese sentence is its
    main predicate, and a line without it is refused anyway. With ``min_chars``, a token is
    allowed only if the line can still reach that length (or the whole sentence's, when it is
    shorter): the model cannot jump from the start to the sentence's last words (「サムスン。」)."""

    TAIL_CHARS = 4  # "…した。": the end every shortened line keeps

    def __init__(
        self, sources: Sequence[Sequence[Sequence[int]]], newline_id: int, stop_ids: Sequence[int], start: int,
        chars: Sequence[Sequence[Sequence[int]]] | None = None, budget: int = 0, min_chars: int = 0,
        phrases: Sequence[Sequence[Sequence[tuple[int, ...]]]] | None = None,
    ) -> None:
        self.sources = [[list(s) for s in row] for row in sources]

        def tables(make: Callable[[list[int], Sequence[tuple[int, ...]]], Any]) -> list[list[Any]] | None:
            """``make(chars, units)`` for each sentence of each row (None for a sentence
            without units: any token may be jumped to); None without chars and phrases."""
            if chars is None or phrases is None:
                return None
            return [[make(list(c), p) if p else None for c, p in zip(row_c, row_p)] for row_c, row_p in zip(chars, phrases)]

        # starts[b][k][q]: the scope (bracket pair) of the phrase that token q of sentence k
        # begins, None when it begins none (starts[b][k] None: any token may be jumped to).
        # Words are deleted only in whole phrases, from one phrase start to another of the
        # same scope: a pair of brackets is deleted whole or not at all.
        self.starts = tables(lambda c, p: self._starts(c, {u[0]: u[1] for u in p}))
        # heads[b][k][q]: for a token of a phrase that hands over to a predicate (東京で, 対し、),
        # the token where that predicate begins: once the phrase is written, no deletion may
        # jump past it (the phrase would attach to another predicate than in the sentence).
        self.heads = tables(lambda c, p: self._by_phrase(c, p, 3))
        # reach[b][k][q]: for the last token of a modifier's phrase (平和像』の, 経営する), the
        # last token of the noun phrase it begins: the next phrase written must begin by then.
        self.reach = tables(self._reach)
        # lands[b][k][q]: whether a deletion may end at token q (not at a note that would stand
        # without the word it follows); None: anywhere a phrase begins.
        self.lands = tables(self._lands)
        # needs[b][k][q]: for a token of a subject's or an object's phrase, the token where its
        # predicate begins: a deletion that takes the phrase must take that predicate too.
        self.needs = tables(lambda c, p: self._by_phrase(c, p, 6))
        self.newline_id = newline_id
        self.stop_ids = list(stop_ids)
        self.start = start  # length of the (padded) prompt: generated tokens begin here
        self.budget = budget
        self.min_chars = min_chars
        self.chars = [[list(c) for c in row] for row in chars] if chars is not None else None
        starts = self.starts or [[None] * len(row) for row in self.chars or []]
        # tail[b][k]: where the sentence's last TAIL_CHARS characters begin (or the phrase that
        # holds them); from there every token is written in turn (美少女だ。 cannot become 美少女。).
        self.tail = [[self._tail(c, st) for c, st in zip(row, srow)] for row, srow in zip(self.chars, starts)] if self.chars else None
        # room[b][k][q]: the most characters the line can still write after token q.
        self.room = (
            [[[sum(c[q + 1 :]) for q in range(len(c))] for c in row] for row in self.chars]
            if self.chars and min_chars
            else None
        )
        self.line = [0] * len(self.sources)
        self.pointer = [0] * len(self.sources)
        #: The predicate a written phrase hands over to, not yet reached (-1: none).
        self.limit = [-1] * len(self.sources)
        #: The predicate whose subject or object was deleted, not yet jumped over (-1: none).
        self.avoid = [-1] * len(self.sources)
        self.used = [0] * len(self.sources)
        self.seen = [0] * len(self.sources)
        self.done = [False] * len(self.sources)
        self._allowed: dict[tuple[int, int, int, int, int, int], torch.Tensor] = {}
        self._memo: dict[tuple[int, int], dict[tuple[int, int, int], int]] = {}

    @staticmethod
    def _starts(chars: list[int], scopes: dict[int, int]) -> list[int | None]:
        out: list[int | None] = []
        at = 0
        for q, c in enumerate(chars):
            # a token that completes a character begun by the token before it (a kanji split
            # into bytes) is never where a line may jump to: it would write half a character
            out.append(scopes.get(at) if q == 0 or chars[q - 1] > 0 else None)
            at += c
        return out

    @staticmethod
    def _begins(chars: list[int]) -> list[int]:
        """Each token's first character offset in its sentence."""
        begins, at = [], 0
        for c in chars:
            begins.append(at)
            at += c
        return begins

    @staticmethod
    def _token_at(chars: list[int], begins: list[int], offset: int) -> int:
        """The token that holds the character at ``offset`` (the last of a kanji's byte tokens)."""
        return next((q for q in range(len(chars)) if begins[q] + chars[q] > offset), len(chars) - 1)

    @classmethod
    def _by_phrase(cls, chars: list[int], units: Sequence[tuple[int, ...]], field: int) -> list[int] | None:
        """For each token, the token that holds the offset in field ``field`` of the unit (the
        phrase) it belongs to, -1 where that field is -1 or absent; None when no unit has one."""
        if all(len(u) <= field or u[field] < 0 for u in units):
            return None
        begins = cls._begins(chars)
        out = [-1] * len(chars)
        for u, nxt in zip(units, [*units[1:], None]):
            if len(u) > field and u[field] >= 0:
                end = nxt[0] if nxt else 1 << 30
                target = cls._token_at(chars, begins, u[field])
                for q in range(len(chars)):
                    if u[0] <= begins[q] < end:
                        out[q] = target
        return out

    @classmethod
    def _reach(cls, chars: list[int], units: Sequence[tuple[int, ...]]) -> list[int]:
        begins = cls._begins(chars)
        out = [-1] * len(chars)
        for u, nxt in zip(units, [*units[1:], None]):
            if len(u) > 4 and u[4] >= 0 and nxt is not None:
                last = max((q for q in range(len(chars)) if begins[q] < nxt[0]), default=-1)
                if last >= 0:
                    out[last] = cls._token_at(chars, begins, u[4])
        return out

    def _avoid_after(self, row: int, k: int, p: int, q: int, avoid: int) -> int:
        """The predicate still to be jumped over once token ``q`` is written after token ``p``
        was the next in turn (tokens p…q-1 deleted; -1: none)."""
        if avoid < q:
            avoid = -1  # jumped over (a line never writes it: see _fits)
        needs = self.needs[row][k] if self.needs is not None else None
        if needs is not None:
            for i in range(p, q):
                if needs[i] >= q and (avoid < 0 or needs[i] < avoid):
                    avoid = needs[i]
        return avoid

    @classmethod
    def _lands(cls, chars: list[int], units: Sequence[tuple[int, ...]]) -> list[bool] | None:
        if all(len(u) < 6 or u[5] for u in units):
            return None
        begins = cls._begins(chars)
        barred = {u[0] for u in units if len(u) > 5 and not u[5]}
        return [b not in barred for b in begins]

    def _tail(self, chars: list[int], starts: list[int | None] | None = None) -> int:
        tail, covered = len(chars), 0
        while tail > 0 and covered < self.TAIL_CHARS:
            tail -= 1
            covered += chars[tail]
        while starts is not None and tail > 0 and starts[tail] is None:
            tail -= 1
        return tail

    def _fits(self, row: int, q: int) -> bool:
        k = self.line[row]
        if self.tail is not None and q > self.tail[row][k] and q != self.pointer[row]:
            return False
        if q != self.pointer[row] and 0 <= self.limit[row] < q:
            return False  # a written phrase would lose its predicate
        avoid = self._avoid_after(row, k, self.pointer[row], q, self.avoid[row])
        if q in (self.avoid[row], avoid):
            return False  # a predicate whose subject or object was deleted
        reach = self.reach[row][k] if self.reach is not None else None
        if q != self.pointer[row] and reach is not None and self.pointer[row] > 0 and 0 <= reach[self.pointer[row] - 1] < q:
            return False  # a written modifier would describe another noun
        if q != self.pointer[row] and self.starts is not None and self.starts[row][k] is not None:
            starts = self.starts[row][k]
            here = starts[self.pointer[row]] if self.pointer[row] < len(starts) else None
            if here is None or starts[q] != here:
                return False  # a deletion must take whole phrases, and whole pairs of brackets
        lands = self.lands[row][k] if self.lands is not None else None
        if q != self.pointer[row] and lands is not None and not lands[q]:
            return False  # a note would stand without its word
        if self.room is not None:
            at_least = min(self.min_chars, self.room[row][k][0] + self.chars[row][k][0]) if self.chars[row][k] else 0
            if self.used[row] + self.chars[row][k][q] + self.room[row][k][q] < at_least:
                return False
        if not self.budget or self.chars is None:
            return True
        return self.used[row] + self.chars[row][k][q] + self._least(row, k, q, self._limit_after(row, k, q), avoid) <= self.budget

    def _limit_after(self, row: int, k: int, q: int, limit: int | None = None) -> int:
        """The predicate still to be reached once token ``q`` is written (-1: none)."""
        limit = self.limit[row] if limit is None else limit
        if limit <= q:
            limit = -1  # reached
        heads = self.heads[row][k] if self.heads is not None else None
        if heads is not None and heads[q] > q and (limit < 0 or heads[q] < limit):
            limit = heads[q]
        return limit

    def _least(self, row: int, k: int, q: int, limit: int, avoid: int = -1) -> int:
        """The fewest characters a line can still write after token ``q`` (written, with the
        predicate ``limit`` still to reach and the predicate ``avoid`` still to jump over) and
        end as the rules allow: a rest of a phrase, a phrase that must stay, the predicate a
        written phrase hands over to (and what that obliges in turn), no predicate whose
        subject or object went, the sentence's end. Exact under the rules, so a line never
        begins a phrase it cannot afford to finish (``_NEVER`` when it cannot end at all)."""
        memo = self._memo.setdefault((row, k), {})
        chars = self.chars[row][k]
        n = len(chars)
        starts = self.starts[row][k] if self.starts is not None else None
        reach = self.reach[row][k] if self.reach is not None else None
        lands = self.lands[row][k] if self.lands is not None else None
        tail = self.tail[row][k] if self.tail is not None else n - 1

        def least(q: int, limit: int, avoid: int) -> int:
            if q == n - 1:
                return 0
            key = (q, limit, avoid)
            if key in memo:
                return memo[key]
            best = _NEVER
            if q + 1 != avoid:
                best = chars[q + 1] + least(q + 1, self._limit_after(row, k, q + 1, limit), avoid)
            scope = starts[q + 1] if starts is not None else -1
            if scope is not None:
                end = min(tail, limit) if limit >= 0 else tail
                if reach is not None and reach[q] >= 0:
                    end = min(end, reach[q])
                for r in range(q + 2, end + 1):
                    if (starts is None or starts[r] == scope) and (lands is None or lands[r]) and r != avoid:
                        after = self._avoid_after(row, k, q + 1, r, avoid)
                        if after == r:
                            continue
                        best = min(best, chars[r] + least(r, self._limit_after(row, k, r, limit), after))
            memo[key] = best = min(best, _NEVER)
            return best

        return least(q, limit, avoid)

    def _advance(self, row: int, token: int) -> None:
        if self.done[row]:
            return
        lines = self.sources[row]
        if token in self.stop_ids:
            self.done[row] = True
            return
        if token == self.newline_id and self.line[row] < len(lines) - 1:
            self.line[row] += 1
            self.pointer[row] = self.used[row] = 0
            self.limit[row] = -1
            self.avoid[row] = -1
            return
        src = lines[self.line[row]]
        p = self.pointer[row]
        while p < len(src) and (src[p] != token or not self._fits(row, p)):
            p += 1
        if p == len(src) and self.pointer[row] < len(src) and src[self.pointer[row]] == token:
            p = self.pointer[row]  # the token allowed when nothing fitted (see allowed)
        if p < len(src) and self.chars is not None:
            self.used[row] += self.chars[row][self.line[row]][p]
        if p < len(src):
            self.limit[row] = self._limit_after(row, self.line[row], p)
            self.avoid[row] = self._avoid_after(row, self.line[row], self.pointer[row], p, self.avoid[row])
        self.pointer[row] = min(p + 1, len(src))

    def allowed(self, row: int, device: torch.device) -> torch.Tensor:
        counted = bool(self.budget) or self.room is not None
        key = (row, self.line[row], self.pointer[row], self.used[row] if counted else 0, self.limit[row], self.avoid[row])
        ids = self._allowed.get(key)
        if ids is None:
            lines = self.sources[row]
            k = self.line[row]
            ends = {self.newline_id} if k < len(lines) - 1 else set(self.stop_ids)
            src = lines[k]
            tokens = {src[q] for q in range(self.pointer[row], len(src)) if self._fits(row, q)}
            if not tokens and self.pointer[row] < len(src):
                tokens = {src[self.pointer[row]]}  # no way within the budget: go on in turn
            if tokens and self.pointer[row] < len(src):
                ends = set()  # not before the sentence's last token
            ids = self._allowed[key] = torch.tensor(sorted(tokens | ends), dtype=torch.long, device=device)
        return ids

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        generated = input_ids.shape[1] - self.start
        if generated:
            # One transfer of the new tokens per step, not one per row.
            new = input_ids[:, self.start + min(self.seen) :].tolist()
            base = min(self.seen)
            for row in range(scores.shape[0]):
                while self.seen[row] < generated:
                    self._advance(row, new[row][self.seen[row] - base])
                    self.seen[row] += 1
        blocked = torch.ones_like(scores, dtype=torch.bool)
        for row in range(scores.shape[0]):
            if self.done[row]:
                blocked[row] = False
            else:
                blocked[row, self.allowed(row, scores.device)] = False
        return scores.masked_fill(blocked, float("-inf"))


# --------------------------------------------------------------------------------------------
# Loading


class Int8Embedding(torch.nn.Module):
    """An embedding table kept as int8 with one scale per row (a quarter of float32's memory)
    that returns float32 vectors. The tables are buffers, so the model's dtype stays float32."""

    def __init__(self, qweight: torch.Tensor, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("qweight", qweight, persistent=False)
        self.register_buffer("scale", scale, persistent=False)
        self.num_embeddings, self.embedding_dim = qweight.shape

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.embedding(ids, self.qweight).float() * self.scale[ids].unsqueeze(-1)


class Int8Linear(torch.nn.Module):
    """A linear layer with int8 weights (one scale per output row) and float32 input and output:
    each call quantises its input to int8 per call (dynamic quantisation) and multiplies in
    integers, several times faster than float32 on a CPU. The weights are packed once for the
    CPU's kernels (fbgemm or oneDNN)."""

    def __init__(self, packed: Any, in_features: int, out_features: int) -> None:
        super().__init__()
        self.packed = packed
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # reduce_range: 7-bit activations, which CPUs without VNNI need to avoid overflow.
        return torch.ops.quantized.linear_dynamic(x, self.packed, True)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8"


def _pack(qweight: torch.Tensor, scale: torch.Tensor, bias: torch.Tensor | None) -> Any:
    zero = torch.zeros(scale.numel(), dtype=torch.long)
    # torch marks its quantized tensor type as deprecated (silenced by load_prepared around the
    # whole packing: warning filters are process-wide, so a filter set here in a worker thread
    # would race with the others); torch is pinned, and these kernels are a CPU's fast int8 path.
    weight = torch._make_per_channel_quantized_tensor(qweight, scale.double(), zero, 0)
    return torch.ops.quantized.linear_prepack(weight, bias)


def load_prepared(folder: Path, seq2seq: bool, device: str, int8: bool | None = None) -> torch.nn.Module:
    """A model from a prepared int8 folder on ``device``: with int8 linear layers (``int8``; the
    default on a CPU) or expanded to bfloat16 (the default on a GPU). The skeleton is built without memory (meta device) and each tensor is read once
    from the file, so loading takes about the memory of the result; packing the int8 weights for
    the CPU's kernels is the slow part, and runs on every core at once."""
    from concurrent.futures import ThreadPoolExecutor

    from safetensors import safe_open

    config = AutoConfig.from_pretrained(folder)
    model_class = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
    with torch.device("meta"):
        model = model_class.from_config(config, dtype=torch.float32)
    gpu = not (device == "cpu" if int8 is None else int8)  # gpu: the bfloat16 layout
    dtype = torch.bfloat16 if gpu else torch.float32
    with warnings.catch_warnings(), safe_open(str(folder / WEIGHTS), framework="pt") as f, ThreadPoolExecutor(
        max(1, torch.get_num_threads())
    ) as pool:
        warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
        names = set(f.keys())
        packing = []
        for name, module in list(model.named_modules()):
            if not isinstance(module, torch.nn.Linear) or f"{name}.qweight" not in names:
                continue
            qweight, scale = f.get_tensor(f"{name}.qweight"), f.get_tensor(f"{name}.scale")
            bias = f.get_tensor(f"{name}.bias") if f"{name}.bias" in names else None
            if gpu:
                new = torch.nn.Linear(module.in_features, module.out_features, bias=bias is not None, device="meta")
                new.weight = torch.nn.Parameter((qweight.float() * scale[:, None]).to(dtype), requires_grad=False)
                if bias is not None:
                    new.bias = torch.nn.Parameter(bias.to(dtype), requires_grad=False)
                _replace(model, module, new)
            else:
                # Packing releases the GIL: the layers pack in parallel.
                packing.append((module, pool.submit(_pack, qweight, scale, bias)))
        for module, packed in packing:
            _replace(model, module, Int8Linear(packed.result(), module.in_features, module.out_features))
        # A parameter can be shared (T5's encoder and decoder embeddings are one): every module
        # that holds it gets the loaded one.
        holders: dict[int, list[tuple[torch.nn.Module, str]]] = {}
        for _, module in model.named_modules(remove_duplicate=False):
            for attr, param in module._parameters.items():
                if param is not None:
                    holders.setdefault(id(param), []).append((module, attr))
        for name, param in list(model.named_parameters()):
            if not param.is_meta:
                continue  # a linear layer's, loaded above
            owners = holders[id(param)]
            owner_name = name.rpartition(".")[0]
            if f"{owner_name}.qweight" in names:  # an embedding table, int8 by row
                qweight, scale = f.get_tensor(f"{owner_name}.qweight"), f.get_tensor(f"{owner_name}.scale")
                if not gpu and all(isinstance(module, torch.nn.Embedding) for module, _ in owners):
                    table = Int8Embedding(qweight, scale)
                    for module, _ in owners:
                        _replace(model, module, table)
                    continue
                tensor = qweight.float() * scale[:, None]
            else:
                tensor = f.get_tensor(name)
            loaded = torch.nn.Parameter(tensor.to(dtype), requires_grad=False)
            for module, attr in owners:
                module._parameters[attr] = loaded
        for name, _ in list(model.named_buffers()):
            if f"buffer:{name}" in names:
                owner_name, _, attr = name.rpartition(".")
                model.get_submodule(owner_name)._buffers[attr] = f.get_tensor(f"buffer:{name}")
    model.generation_config = GenerationConfig.from_pretrained(folder)
    leftover = [n for n, p in [*model.named_parameters(), *model.named_buffers()] if p.is_meta]
    if leftover:
        raise ValueError(f"the prepared model lacks {len(leftover)} tensors ({leftover[0]}, …)")
    return model.to(device).eval()


def _replace(model: torch.nn.Module, old: torch.nn.Module, new: torch.nn.Module) -> None:
    """Put ``new`` wherever ``old`` sits: a module can be shared (T5's encoder and decoder hold
    the same embedding)."""
    for _, parent in model.named_modules(remove_duplicate=False):
        for child_name, child in list(parent.named_children()):
            if child is old:
                setattr(parent, child_name, new)


# --------------------------------------------------------------------------------------------
# The generator


def _return_freed_memory() -> None:
    """Make glibc hand large freed blocks back to the system at once. By default it raises its
    mmap threshold after the first large free and keeps later blocks of up to 32 MB for reuse;
    loading and running a model frees thousands of such blocks (weights being packed, batch
    activations), which then stay counted in the process's memory: about 1 GB more at its peak.
    Linux with glibc only; elsewhere nothing is done."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: blocks of 1 MiB and more are mapped
        libc.mallopt(-8, 2)  # M_ARENA_MAX: threads share two heaps instead of one each
    except (OSError, AttributeError):
        pass


class Generator:
    """A loaded model and tokenizer, and batched generation."""

    def __init__(self, preset: ModelPreset, config: ModelConfig) -> None:
        self.preset = preset
        self.config = config
        self.device = choose_device(config.device)
        if self.device == "cpu":
            _return_freed_memory()
        if config.threads:
            torch.set_num_threads(config.threads)
        transformers.utils.logging.disable_progress_bar()  # stderr is for Kiku's own messages
        self.seq2seq = preset.kind == "seq2seq"
        started = time.perf_counter()
        cache_dir = Path(config.cache_dir).expanduser() if config.cache_dir else None
        try:
            model = self._load(preset, cache_dir)
        except torch.OutOfMemoryError:
            raise ConfigError(
                f"model {preset.name!r} does not fit in the GPU's free memory; free it, or run with --device cpu"
            ) from None
        self.model = model
        #: Where the weights came from and how they run, for the JSON output.
        self.runtime = f"{self.device}, {'int8' if config.quantize == 'int8' and self.device == 'cpu' else 'bfloat16' if self.device == 'cuda' else preset.dtype}"
        self.load_seconds = time.perf_counter() - started
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        if not self.seq2seq:
            self.tokenizer.padding_side = "left"
        eos = model.generation_config.eos_token_id
        eos_ids = eos if isinstance(eos, list) else [eos] if eos is not None else []
        if self.tokenizer.eos_token_id is not None:
            eos_ids.append(self.tokenizer.eos_token_id)
        self.stop_ids = sorted(set(eos_ids))
        self.newline_id = self._newline_id()
        self.has_template = bool(getattr(self.tokenizer, "chat_template", None))
        self._prefixes: dict[str, tuple[torch.Tensor, Any]] = {}
        self.batch_size = config.gpu_batch_size if self.device == "cuda" else config.batch_size
        #: Tokens of the last :meth:`generate` call: prompt tokens computed and reused, generated.
        self.counts = {"prompt": 0, "prefix_reused": 0, "generated": 0}

    def _load(self, preset: ModelPreset, cache_dir: Path | None) -> torch.nn.Module:
        if self.config.quantize != "int8":
            log.info("loading model %s (%s weights) on %s", preset.name, "bfloat16" if self.device == "cuda" else preset.dtype, self.device)
            return self._load_float(preset)
        folder = prepare_int8(preset, cache_dir)
        log.info("loading model %s (int8, prepared) on %s", preset.name, self.device)
        try:
            model = load_prepared(folder, self.seq2seq, self.device)
        except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as exc:
            if isinstance(exc, torch.OutOfMemoryError):
                raise
            log.info("the prepared model could not be loaded (%s); preparing it again", _first_line(exc))
            folder = prepare_int8(preset, cache_dir, rebuild=True)
            model = load_prepared(folder, self.seq2seq, self.device)
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        return model

    def _load_float(self, preset: ModelPreset) -> torch.nn.Module:
        dtype = torch.bfloat16 if self.device == "cuda" else getattr(torch, preset.dtype)
        with locate(preset) as source:
            self.tokenizer, model = load_float(preset, source, dtype)
        return model.to(self.device)

    def _token_chars(self, ids: Sequence[int]) -> list[int]:
        """How many characters of the decoded text each token adds (a token that holds part of
        a character's bytes adds none, the one that completes it one)."""
        out, before = [], 0
        for k in range(len(ids)):
            length = len(self.tokenizer.decode(ids[: k + 1]).replace("\ufffd", ""))
            out.append(max(0, length - before))
            before = max(before, length)
        return out

    def _newline_id(self) -> int:
        ids = self.tokenizer("\n", add_special_tokens=False).input_ids
        return ids[-1] if ids else (self.stop_ids[0] if self.stop_ids else 0)

    @property
    def max_input_tokens(self) -> int:
        limit = getattr(self.model.config, "max_position_embeddings", None) or 2048
        return min(int(limit), 4096) - self.preset.max_new_tokens

    # -- prompts --------------------------------------------------------------------------------

    def render(self, prompt: Prompt) -> str:
        """The text the model sees."""
        if prompt.messages:
            return self._chat(prompt.messages, generation_prompt=True)
        return prompt.text

    def _chat(self, messages: Sequence[tuple[str, str]], generation_prompt: bool) -> str:
        if self.has_template:
            rendered = [{"role": r, "content": c} for r, c in messages]
            return self.tokenizer.apply_chat_template(rendered, tokenize=False, add_generation_prompt=generation_prompt)
        return "\n\n".join(c for _, c in messages) + ("\n\n" if generation_prompt else "")

    def shared_text(self, prompt: Prompt) -> str:
        """The leading text this prompt shares with every prompt of its kind ("" when none, or
        when the chat template does not render it as a prefix of the whole)."""
        if self.seq2seq or not prompt.shared:
            return ""
        if prompt.messages:
            head = self._chat(prompt.messages[: prompt.shared], generation_prompt=False)
        else:
            head = prompt.text[: prompt.shared]
        return head if self.render(prompt).startswith(head) else ""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False).input_ids)

    # -- generation -----------------------------------------------------------------------------

    def generate(self, prompts: Sequence[Prompt], *, constrained: bool = False) -> list[str]:
        """One output per prompt, in order. Prompts are sorted by the length of what they
        rewrite (which bounds their output), then of their text, and grouped into calls of about
        ``batch_size`` sentences (GPU: ``gpu_batch_size``): a call runs until its longest output
        is done and pads every prompt to its longest, so like goes with like. Prompts that share
        a prefix share its cached keys and values."""
        texts = [self.render(p) for p in prompts]
        order = sorted(
            range(len(prompts)),
            key=lambda i: (self.shared_text(prompts[i]), sum(map(len, prompts[i].sentences)), len(texts[i])),
        )
        outputs: list[str] = [""] * len(prompts)
        self.counts = {"prompt": 0, "prefix_reused": 0, "generated": 0}
        chunk: list[int] = []
        for i in order:
            size = sum(max(1, len(prompts[j].sentences)) for j in chunk)
            same_prefix = not chunk or self.shared_text(prompts[chunk[0]]) == self.shared_text(prompts[i])
            if chunk and (size + max(1, len(prompts[i].sentences)) > self.batch_size or not same_prefix):
                self._run(chunk, prompts, outputs, constrained)
                chunk = []
            chunk.append(i)
        if chunk:
            self._run(chunk, prompts, outputs, constrained)
        return outputs

    def _run(self, chunk: list[int], prompts: Sequence[Prompt], outputs: list[str], constrained: bool) -> None:
        for i, text in zip(chunk, self._generate_batch([prompts[i] for i in chunk], constrained)):
            outputs[i] = text

    def _prefix(self, text: str) -> tuple[torch.Tensor, Any]:
        """The token ids of a shared prefix and its keys and values, computed once."""
        cached = self._prefixes.get(text)
        if cached is None:
            ids = self.tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids.to(self.device)
            with torch.inference_mode():
                out = self.model(input_ids=ids, use_cache=True, logits_to_keep=1)
            cached = self._prefixes[text] = (ids[0], out.cache if _CACHE == "cache" else out.past_key_values)
        return cached

    def _generate_batch(self, prompts: Sequence[Prompt], constrained: bool) -> list[str]:
        shared = self.shared_text(prompts[0])
        texts = [self.render(p)[len(shared) :] for p in prompts]
        enc = self.tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=self.max_input_tokens,
            add_special_tokens=self.seq2seq or not (prompts[0].messages or shared),
        )
        input_ids, attention = enc.input_ids.to(self.device), enc.attention_mask.to(self.device)
        rows = input_ids.shape[0]
        kwargs: dict[str, Any] = {"do_sample": False, "num_beams": 1, "pad_token_id": self.tokenizer.pad_token_id}
        sentences = [p.sentences or ("",) for p in prompts]
        if constrained:
            sources = [[self.tokenizer(s, add_special_tokens=False).input_ids for s in row] for row in sentences]
            start = 1 if self.seq2seq else input_ids.shape[1] + (self._prefix(shared)[0].numel() if shared else 0)
            budget = min((p.max_chars for p in prompts), default=0)
            least = max((p.min_chars for p in prompts), default=0)
            phrases = [[p.phrases[k] if k < len(p.phrases) else () for k in range(len(row))] for p, row in zip(prompts, sentences)]
            whole = any(offsets for row in phrases for offsets in row)
            chars = [[self._token_chars(ids) for ids in row] for row in sources] if budget or least or whole else None
            kwargs["logits_processor"] = LogitsProcessorList(
                [SubsequenceLogitsProcessor(sources, self.newline_id, self.stop_ids, start, chars, budget, least, phrases if whole else None)]
            )
            # A line is at most its sentence, plus the newline that ends it.
            kwargs["max_new_tokens"] = max(sum(len(s) + 1 for s in row) for row in sources) + 1
        else:
            kwargs["max_new_tokens"] = self.preset.max_new_tokens * max(max(len(row), p.lines) for p, row in zip(prompts, sentences))
        # Each row's own budget, so that what a prompt gets does not depend on its batch.
        budgets = [self.preset.max_new_tokens * max(len(row), p.lines) for p, row in zip(prompts, sentences)]
        self.counts["prompt"] += int(enc.attention_mask.sum())
        if shared:
            prefix_ids, prefix_cache = self._prefix(shared)
            # [prefix][padding][prompt]: the prefix sits at the same positions in every row, so
            # its cached keys and values serve all of them; positions are counted from the
            # attention mask, so the padding in the middle takes none.
            ones = torch.ones(rows, prefix_ids.numel(), dtype=attention.dtype, device=self.device)
            kwargs[_CACHE] = _prefix_cache(prefix_cache, rows, input_ids.shape[1] + kwargs["max_new_tokens"])
            input_ids = torch.cat([prefix_ids.expand(rows, -1), input_ids], dim=1)
            attention = torch.cat([ones, attention], dim=1)
            self.counts["prefix_reused"] += prefix_ids.numel() * rows
        if self.config.timeout_s:
            kwargs["max_time"] = self.config.timeout_s
        started = time.perf_counter()
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # generation-config notices are not the user's business
            out = self.model.generate(input_ids=input_ids, attention_mask=attention, **kwargs)
        if self.config.timeout_s and time.perf_counter() - started >= self.config.timeout_s:
            raise TimeoutError(f"generation took over model.timeout_s ({self.config.timeout_s:g} s)")
        new = out if self.seq2seq else out[:, input_ids.shape[1] :]
        if not constrained:
            new = [row[:budget] for row, budget in zip(new, budgets)]
        self.counts["generated"] += sum(int((row != self.tokenizer.pad_token_id).sum()) for row in new)
        return self.tokenizer.batch_decode(new, skip_special_tokens=True)


class _GrowingLayer:
    """Keys and values of one attention layer in a buffer with room to grow, returned as views:
    appending a token copies one token, not the whole cache as concatenation does (on a CPU the
    copying cost as much as the attention itself)."""

    @staticmethod
    def make(keys: torch.Tensor, values: torch.Tensor, room: int) -> Any:
        from transformers.cache_utils import DynamicLayer

        class GrowingLayer(DynamicLayer):
            def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any, **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
                used, new = self.keys.shape[-2], key_states.shape[-2]
                if used + new > self._k.shape[-2]:
                    grow = max(used + new, 2 * self._k.shape[-2])
                    self._k = _widen(self._k, grow)
                    self._v = _widen(self._v, grow)
                self._k[..., used : used + new, :] = key_states
                self._v[..., used : used + new, :] = value_states
                self.keys, self.values = self._k[..., : used + new, :], self._v[..., : used + new, :]
                return self.keys, self.values

            def batch_repeat_interleave(self, repeats: int) -> None:
                self._k = self._k.repeat_interleave(repeats, dim=0)
                self._v = self._v.repeat_interleave(repeats, dim=0)
                used = self.keys.shape[-2]
                self.keys, self.values = self._k[..., :used, :], self._v[..., :used, :]

            def batch_select_indices(self, indices: torch.Tensor) -> None:
                used = self.keys.shape[-2]
                self._k, self._v = self._k[indices, ...], self._v[indices, ...]
                self.keys, self.values = self._k[..., :used, :], self._v[..., :used, :]

        layer = GrowingLayer()
        layer.lazy_initialization(keys, values)
        layer._k = _widen(keys, keys.shape[-2] + room)
        layer._v = _widen(values, values.shape[-2] + room)
        used = keys.shape[-2]
        layer.keys, layer.values = layer._k[..., :used, :], layer._v[..., :used, :]
        return layer


def _widen(tensor: torch.Tensor, length: int) -> torch.Tensor:
    out = tensor.new_empty((*tensor.shape[:-2], length, tensor.shape[-1]))
    out[..., : tensor.shape[-2], :] = tensor
    return out


def _prefix_cache(cache: Any, rows: int, room: int) -> Any:
    """A cache for ``rows`` rows that starts with the one-row ``cache`` of a shared prefix and has
    ``room`` tokens to grow into before it must reallocate."""
    from transformers import DynamicCache

    layers = [
        _GrowingLayer.make(layer.keys.expand(rows, -1, -1, -1), layer.values.expand(rows, -1, -1, -1), room)
        for layer in cache.layers
    ]
    copied = DynamicCache()
    copied.layers = layers
    copied.layer_class_to_replicate = None
    return copied
