"""The one module that touches torch: load a model once, generate in batches.

:class:`Generator` is built once per process from a preset and the ``[model]`` config. Its
:meth:`Generator.generate` takes prompts, renders them (chat template, plain text or seq2seq
input), pads them (left for decoder-only models), and calls ``model.generate`` directly under
``torch.inference_mode()``: greedy, deterministic. With ``constrained`` prompts a logits
processor lets the model only delete from the sentence it rewrites.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import (
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    LogitsProcessor,
    LogitsProcessorList,
)

from kiku.models.presets import ModelPreset
from kiku.models.prompts import Prompt
from kiku.models.weights import ModelUnavailableError, _alternatives, prepare
from kiku.config import ModelConfig


class SubsequenceLogitsProcessor(LogitsProcessor):
    """Lets row ``b`` emit only tokens of ``sources[b]`` at or after the last one it used (or
    end of sequence), so its output is a subsequence of the source tokens: the model can delete
    words but not add, change or reorder any."""

    def __init__(self, sources: Sequence[Sequence[int]], stop_ids: Sequence[int], start: int) -> None:
        self.sources = [list(s) for s in sources]
        self.stop_ids = list(stop_ids)
        self.start = start  # length of the (padded) prompt: generated tokens begin here
        self.pointer = [0] * len(self.sources)
        self.seen = [0] * len(self.sources)
        self.done = [False] * len(self.sources)
        # allowed[b][p]: the distinct token ids of sources[b][p:], as a tensor.
        self.allowed = []
        for src in self.sources:
            suffixes = []
            for p in range(len(src) + 1):
                suffixes.append(torch.tensor(sorted(set(src[p:]) | set(self.stop_ids)), dtype=torch.long))
            self.allowed.append(suffixes)

    def _advance(self, row: int, token: int) -> None:
        if self.done[row]:
            return
        if token in self.stop_ids:
            self.done[row] = True
            return
        src = self.sources[row]
        p = self.pointer[row]
        while p < len(src) and src[p] != token:
            p += 1
        self.pointer[row] = min(p + 1, len(src))

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        generated = input_ids.shape[1] - self.start
        mask = torch.full_like(scores, float("-inf"))
        for row in range(scores.shape[0]):
            while self.seen[row] < generated:
                self._advance(row, int(input_ids[row, self.start + self.seen[row]]))
                self.seen[row] += 1
            if self.done[row]:
                mask[row] = 0.0
            else:
                mask[row, self.allowed[row][self.pointer[row]]] = 0.0
        return scores + mask


class Generator:
    """A loaded model and tokenizer, and batched generation."""

    def __init__(self, preset: ModelPreset, config: ModelConfig) -> None:
        self.preset = preset
        self.config = config
        if config.threads:
            torch.set_num_threads(config.threads)
        transformers.utils.logging.disable_progress_bar()  # stderr is for Kiku's own messages
        started = time.perf_counter()
        source = prepare(preset, Path(config.cache_dir) if config.cache_dir else None)
        kwargs: dict[str, Any] = {}
        if preset.hub and source == preset.hub:
            kwargs["revision"] = preset.revision
        self.seq2seq = preset.kind == "seq2seq"
        model_class = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
            model = model_class.from_pretrained(source, dtype=getattr(torch, preset.dtype), **kwargs)
        except OSError as exc:
            where = f"the hub ({preset.hub})" if "revision" in kwargs else source
            raise ModelUnavailableError(
                f"model {preset.name!r} could not be loaded from {where}: {_first_line(exc)}; "
                + ("hub presets need hub access, or a local copy given with --model FOLDER; " if "revision" in kwargs else "")
                + _alternatives(preset)
            ) from None
        model.eval()
        if config.quantize == "int8" and model.dtype == torch.float32:
            with warnings.catch_warnings():
                # torch.ao's eager quantisation is deprecated in favour of torchao, which does not
                # speed up CPU inference here; it still works and is 3-5x faster than float32.
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
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
        self.has_template = bool(getattr(self.tokenizer, "chat_template", None))

    @property
    def max_input_tokens(self) -> int:
        limit = getattr(self.model.config, "max_position_embeddings", None) or 2048
        return min(int(limit), 4096) - self.preset.max_new_tokens

    def render(self, prompt: Prompt) -> str:
        """The text the model sees."""
        if prompt.messages:
            if self.has_template:
                messages = [{"role": r, "content": c} for r, c in prompt.messages]
                return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            return "\n\n".join(c for _, c in prompt.messages) + "\n\n"
        return prompt.text

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False).input_ids)

    def generate(self, prompts: Sequence[Prompt], *, constrained: bool = False) -> list[str]:
        """One output per prompt, in order, generated ``batch_size`` at a time. Prompts are
        sorted by length inside the call, so that a batch pads little."""
        order = sorted(range(len(prompts)), key=lambda i: len(self.render(prompts[i])))
        outputs: list[str] = [""] * len(prompts)
        size = self.config.batch_size
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            texts = self._generate_batch([prompts[i] for i in chunk], constrained)
            for i, text in zip(chunk, texts):
                outputs[i] = text
        return outputs

    def _generate_batch(self, prompts: Sequence[Prompt], constrained: bool) -> list[str]:
        texts = [self.render(p) for p in prompts]
        enc = self.tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=self.max_input_tokens,
            add_special_tokens=self.seq2seq or not prompts[0].messages,
        )
        kwargs: dict[str, Any] = {
            "max_new_tokens": self.preset.max_new_tokens,
            "do_sample": False,
            "num_beams": 1,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if self.config.timeout_s:
            kwargs["max_time"] = self.config.timeout_s
        if constrained:
            sources = [self.tokenizer(p.sentence, add_special_tokens=False).input_ids for p in prompts]
            start = 1 if self.seq2seq else enc.input_ids.shape[1]
            kwargs["logits_processor"] = LogitsProcessorList(
                [SubsequenceLogitsProcessor(sources, self.stop_ids, start)]
            )
        started = time.perf_counter()
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        if self.config.timeout_s and time.perf_counter() - started >= self.config.timeout_s:
            raise TimeoutError(f"generation took over model.timeout_s ({self.config.timeout_s:g} s)")
        new = out if self.seq2seq else out[:, enc.input_ids.shape[1] :]
        return self.tokenizer.batch_decode(new, skip_special_tokens=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
