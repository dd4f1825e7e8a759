"""The engine layer's speed and memory machinery, with tiny random models built from a config:
the int8 model prepared once in the cache (and rebuilt when damaged, prepared once when two
processes ask at once), the device choice, the cached prompt prefix, the joint constrained
decoding of an article's sentences, and what a user sees while it runs."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiku.config import load_config
from kiku.errors import ConfigError
from kiku.models.presets import resolve_model
from kiku.models.weights import MARKER, WEIGHTS, is_prepared, prepare_int8, prepared_key
from tests.conftest import EXAMPLES, ROOT, on_a_terminal
from tests.test_cli import run
from tests.test_models import _articles, _kiku


def _sentences(n: int = 6) -> list[str]:
    out = []
    for a in _articles():
        out += [s + "。" for s in a.body.split("。") if 15 <= len(s) <= 70][:2]
    return out[:n]


# --------------------------------------------------------------------------------------------
# The prepared int8 model


def test_a_prepared_model_is_made_once_and_loads_close_to_the_float_model(tiny, tmp_path):
    import torch

    from kiku.models.generate import Int8Linear, load_prepared

    preset = resolve_model(str(tiny["causal"]))
    folder = prepare_int8(preset, tmp_path)
    meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert meta["key"] == prepared_key(preset) and meta["weights_bytes"] == (folder / WEIGHTS).stat().st_size
    stamp = (folder / MARKER).stat().st_mtime_ns
    assert prepare_int8(preset, tmp_path) == folder and (folder / MARKER).stat().st_mtime_ns == stamp  # not made again
    model = load_prepared(folder, seq2seq=False, device="cpu")
    assert any(isinstance(m, Int8Linear) for m in model.modules())
    from transformers import AutoModelForCausalLM

    reference = AutoModelForCausalLM.from_pretrained(tiny["causal"], dtype=torch.float32).eval()
    ids = torch.randint(10, 700, (2, 24))
    with torch.inference_mode():
        got, want = model(input_ids=ids).logits, reference(input_ids=ids).logits
    # int8 weights (one scale per row) and 7-bit activations: close to the float model.
    assert torch.nn.functional.cosine_similarity(got.flatten(), want.flatten(), dim=0) > 0.98


def test_a_damaged_prepared_model_is_prepared_again(tiny, tmp_path, caplog):
    preset = resolve_model(str(tiny["causal"]))
    folder = prepare_int8(preset, tmp_path)
    with open(folder / WEIGHTS, "r+b") as fh:  # a copy cut short (disk full, killed copy)
        fh.truncate(100)
    assert not is_prepared(folder, prepared_key(preset))
    caplog.set_level("INFO", logger="kiku")
    assert prepare_int8(preset, tmp_path) == folder
    assert is_prepared(folder, prepared_key(preset))
    assert any("incomplete or damaged" in r.getMessage() for r in caplog.records)
    # Damaged inside but the right size: loading fails, and the generator prepares it again.
    data = bytearray((folder / WEIGHTS).read_bytes())
    data[8:40] = b"\xff" * 32  # the header's JSON
    (folder / WEIGHTS).write_bytes(bytes(data))
    caplog.clear()
    kiku = _kiku(tiny["causal"], f'model.cache_dir="{tmp_path}"')
    assert any("preparing it again" in r.getMessage() for r in caplog.records)
    assert kiku.summarize(_articles()[0]).bullets


def test_two_processes_preparing_at_once_prepare_once(tiny, tmp_path):
    code = (
        "import logging, sys; logging.basicConfig(level=logging.INFO, format='%(message)s'); "
        "from kiku.models.presets import resolve_model; from kiku.models.weights import prepare_int8; "
        f"print(prepare_int8(resolve_model({str(tiny['causal'])!r}), __import__('pathlib').Path({str(tmp_path)!r})))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    folders = {out.strip() for out, _ in results}
    assert len(folders) == 1
    logs = "".join(err for _, err in results)
    assert logs.count("prepared ") == 1  # the other one waited, then found it ready
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(folders.pop()).name]  # no half-written folder


# --------------------------------------------------------------------------------------------
# Device


def test_the_device_is_the_gpu_when_there_is_one(monkeypatch):
    import torch

    from kiku.models.generate import choose_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert choose_device("auto") == "cpu" and choose_device("cpu") == "cpu"
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        choose_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert choose_device("auto") == "cuda" and choose_device("cpu") == "cpu"


def test_device_cuda_without_a_gpu_is_a_usage_error(tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    code, out, err = run("summarize", "--summarizer", "transformer", "--model", str(tiny["causal"]), "--device", "cuda", str(EXAMPLES / "wikinews.jsonl"))
    assert code == 2 and out == ""
    assert err.strip().splitlines() == ["kiku: --device cuda: torch sees no CUDA GPU here; use --device cpu (or auto)"]


def test_the_json_says_where_the_model_ran(tiny):
    code, out, err = run("summarize", "--summarizer", "transformer", "--model", str(tiny["causal"]), "--device", "cpu", "--format", "json", str(EXAMPLES / "wikinews.jsonl"))
    assert code == 0, err
    assert {json.loads(line)["device"] for line in out.splitlines()} == {"cpu, int8"}
    assert "loading model" in err


# --------------------------------------------------------------------------------------------
# Prompts: one per article, a cached shared prefix


def test_one_prompt_per_article_and_a_shared_prefix():
    from kiku.models.prompts import rewrite_prompts

    sentences = _sentences(3)
    (prompt,) = rewrite_prompts("chat", sentences, "見出し", 80, joint=True)
    assert prompt.sentences == tuple(sentences) and prompt.shared == 3
    assert all(s in prompt.messages[-1][1] for s in sentences)
    # The shared part does not depend on the article.
    (other,) = rewrite_prompts("chat", _sentences(6)[3:], "別の見出し", 80, joint=True)
    assert prompt.messages[: prompt.shared] == other.messages[: other.shared]
    # A seq2seq model summarises its whole input: one prompt per sentence.
    assert [p.sentences for p in rewrite_prompts("seq2seq", sentences, "", 80)] == [(s,) for s in sentences]


@pytest.mark.parametrize("constrained", [True, False])
def test_the_cached_prefix_gives_the_same_output_as_the_whole_prompt(tiny, tagger, constrained):
    # In float32 (no activation quantisation, which depends on the batch) the cached prefix,
    # the padding between it and each prompt and the positions counted around it change nothing.
    from kiku.models.prompts import rewrite_prompts

    kiku = _kiku(tiny["causal"], 'model.quantize="none"', "model.batch_size=6", tagger=tagger)
    gen = kiku.summarizer.generator
    s = _sentences(6)
    prompts = [rewrite_prompts("chat", s[i : i + n], "見出し", 80, joint=True)[0] for i, n in ((0, 3), (3, 1), (4, 2))]
    cached = gen.generate(prompts, constrained=constrained)
    assert gen.counts["prefix_reused"] > 0
    whole = gen.generate([dataclasses.replace(p, shared=0) for p in prompts], constrained=constrained)
    assert gen.counts["prefix_reused"] == 0
    assert cached == whole
    assert [gen.generate([p], constrained=constrained)[0] for p in prompts] == cached  # batching changes nothing


def test_each_output_line_only_deletes_from_its_own_sentence(tiny, tagger):
    import torch
    from transformers import LogitsProcessorList

    from kiku.models.generate import SubsequenceLogitsProcessor

    kiku = _kiku(tiny["causal"], tagger=tagger)
    gen = kiku.summarizer.generator
    tok = gen.tokenizer
    s = _sentences(6)
    rows = [[tok(x, add_special_tokens=False).input_ids for x in s[i : i + 3]] for i in (0, 3)]
    enc = tok(["<|im_start|>user\n短く<|im_end|>\n"] * len(rows), return_tensors="pt", padding=True)
    processor = SubsequenceLogitsProcessor(rows, gen.newline_id, gen.stop_ids, enc.input_ids.shape[1])
    with torch.inference_mode():
        out = gen.model.generate(
            **enc, max_new_tokens=200, do_sample=False, logits_processor=LogitsProcessorList([processor]),
            pad_token_id=tok.pad_token_id,
        )
    for generated, sources in zip(out[:, enc.input_ids.shape[1] :].tolist(), rows):
        ids = [t for t in generated if t not in gen.stop_ids and t != tok.pad_token_id]
        lines, line = [], []
        for t in ids:
            if t == gen.newline_id:
                lines.append(line)
                line = []
            else:
                line.append(t)
        lines.append(line)
        assert len(lines) <= 3, "more lines than sentences"
        for line, source in zip(lines, sources):
            it = iter(source)
            assert all(t in it for t in line), "a line is not a subsequence of its own sentence's tokens"


def test_joint_output_lines_are_read_per_sentence():
    from kiku.models.prompts import parse_lines

    assert parse_lines("一つ目の文\n\n三つ目の文。", 3, constrained=True) == ["一つ目の文。", "", "三つ目の文。"]
    assert parse_lines("1. 一つ目の文。\n\n2. 二つ目の文", 3, constrained=False) == ["一つ目の文。", "二つ目の文。", ""]
    # A constrained line holds only its sentence's words: what looks like a list mark is the
    # sentence's own (1.5GHzデュアルコアCPU… read as "1." and "5GHz…" said 5 GHz)
    assert parse_lines("1.5GHzデュアルコアCPUを搭載\n・新色を追加", 2, constrained=True) == ["1.5GHzデュアルコアCPUを搭載。", "・新色を追加。"]
    assert parse_lines("1.5GHzのCPUを搭載。", 1, constrained=False) == ["1.5GHzのCPUを搭載。"]


# --------------------------------------------------------------------------------------------
# What a user sees


def test_a_first_run_says_it_prepares_the_model_once_then_loads_it(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("KIKU_CACHE", str(tmp_path / "cache"))
    argv = ("summarize", "--summarizer", "transformer", "--model", str(tiny["causal"]), str(EXAMPLES / "wikinews.jsonl"))
    code, _, err = run(*argv)
    assert code == 0, err
    lines = [line for line in err.splitlines() if "model" in line]
    assert lines[0].startswith("kiku: preparing model") and "once" in lines[0]
    assert any(line.startswith("kiku: loading model") for line in lines[1:])
    code, _, err = run(*argv)
    assert code == 0 and "preparing" not in err and "kiku: loading model" in err


def test_summarize_shows_progress_on_a_terminal_only(tmp_path):
    cmd = [sys.executable, "-m", "kiku", "summarize", "--summarizer", "extractive", str(EXAMPLES)]
    piped = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "summarising" not in piped.stderr
    code, screen = on_a_terminal(cmd, cwd=ROOT)
    assert code == 0
    assert "summarising" in screen and "6/6" in screen and "art/s" in screen


def test_a_model_call_that_fails_falls_back_with_a_note(tiny, tagger, monkeypatch):
    # Out of memory, a device that went away: the call's articles get extractive bullets.
    kiku = _kiku(tiny["causal"], tagger=tagger)

    def fail(*args, **kwargs):
        raise RuntimeError("CUDA error: device-side assert / out of memory")

    monkeypatch.setattr(kiku.summarizer.generator, "generate", fail)
    summaries = list(kiku.run(_articles()[:3]))
    assert all(s.bullets and all(b.origin == "extractive" for b in s.bullets) for s in summaries)
    assert all(any("model failed" in n for n in s.notes) for s in summaries)


def test_config_knows_the_new_model_keys():
    config = load_config(overrides=['model.device="cpu"', "model.gpu_batch_size=64", 'model.prompts="sentence"'])
    assert config.model.device == "cpu" and config.model.gpu_batch_size == 64 and config.model.prompts == "sentence"
    with pytest.raises(ConfigError, match="model.device"):
        load_config(overrides=['model.device="tpu"'])
    with pytest.raises(ConfigError, match="model.prompts"):
        load_config(overrides=['model.prompts="paragraph"'])


@pytest.mark.parametrize("prompts, joint", [("auto", True), ("article", True), ("sentence", False)])
def test_prompts_per_article_on_a_cpu_per_sentence_when_asked(tiny, tagger, prompts, joint):
    kiku = _kiku(tiny["causal"], f'model.prompts="{prompts}"', "model.batch_size=6", tagger=tagger)
    assert kiku.summarizer.joint is joint
    summaries = list(kiku.run(_articles()[:4]))
    assert all(s.bullets for s in summaries)


def test_the_gpu_layout_of_a_prepared_model_loads(tiny, tmp_path):
    # What a GPU loads (bfloat16 weights expanded from the int8 file), built here on the CPU:
    # shared and tied tensors included, nothing left on the meta device, close to the float model.
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    from kiku.models.generate import load_prepared

    for kind, model_class in (("causal", AutoModelForCausalLM), ("seq2seq", AutoModelForSeq2SeqLM)):
        folder = prepare_int8(resolve_model(str(tiny[kind])), tmp_path)
        model = load_prepared(folder, seq2seq=kind == "seq2seq", device="cpu", int8=False)
        assert {p.dtype for p in model.parameters()} == {torch.bfloat16}
        reference = model_class.from_pretrained(tiny[kind], dtype=torch.float32).eval()
        ids = torch.randint(10, 700, (2, 16))
        extra = {"decoder_input_ids": ids[:, :4]} if kind == "seq2seq" else {}
        with torch.inference_mode():
            got = model(input_ids=ids, **extra).logits.float()
            want = reference(input_ids=ids, **extra).logits
        assert torch.nn.functional.cosine_similarity(got.flatten(), want.flatten(), dim=0) > 0.98


def test_a_line_is_kept_within_the_length_limit_and_keeps_its_end(tiny, tagger):
    # A sentence longer than the limit: constrained decoding lets the model delete anywhere, but
    # never run past the limit while keeping room for the sentence's last characters.
    from kiku.models.prompts import rewrite_prompts

    kiku = _kiku(tiny["causal"], "model.batch_size=6", tagger=tagger)
    gen = kiku.summarizer.generator
    long = [s for s in (a.body.replace("\n", "") for a in _articles()) for s in s.split("。") if len(s) > 60][:4]
    assert long, "the examples hold long sentences"
    prompts = [rewrite_prompts("chat", [s + "。"], "", 40)[0] for s in long]
    assert all(p.max_chars == 40 for p in prompts)
    for prompt, raw in zip(prompts, gen.generate(prompts, constrained=True)):
        line = raw.split("\n")[0].replace("\ufffd", "")
        assert len(line) <= 40, (line, prompt.sentences[0])


def test_the_length_budget_reserves_the_end_of_the_sentence():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # Five tokens of 10, 10, 10, 2 and 2 characters; a 20-character budget. At the start only
    # tokens that leave room for the last two (4 characters) may come.
    # The line cannot end (0) before its sentence's last token, and the last two tokens (the
    # sentence's last 4 characters) are written in turn: the model may not skip into them.
    proc = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5]]], newline_id=9, stop_ids=[0], start=0, chars=[[[10, 10, 10, 2, 2]]], budget=20)
    assert proc.allowed(0, "cpu").tolist() == [1, 2, 3, 4]
    proc._advance(0, 1)  # 10 used
    assert proc.allowed(0, "cpu").tolist() == [4]  # another 10 would leave no room for the end
    proc._advance(0, 4)
    assert proc.allowed(0, "cpu").tolist() == [5]
    proc._advance(0, 5)
    assert proc.allowed(0, "cpu").tolist() == [0]


def test_constrained_lines_keep_a_minimum_length():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # Tokens of 3, 3, 3, 4 and 1 characters (14 in all), at least 8: from the start the model
    # may not jump to the last two tokens (5 characters); after 3 it may go to the fourth (3 + 4
    # + 1 = 8) but not straight to the last.
    proc = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5]]], newline_id=9, stop_ids=[0], start=0, chars=[[[3, 3, 3, 4, 1]]], min_chars=8)
    assert proc.allowed(0, "cpu").tolist() == [1, 2, 3]
    proc._advance(0, 1)
    assert proc.allowed(0, "cpu").tolist() == [2, 3, 4]
    # A sentence shorter than the minimum may still be written whole.
    short = SubsequenceLogitsProcessor([[[1, 2]]], newline_id=9, stop_ids=[0], start=0, chars=[[[2, 1]]], min_chars=8)
    assert short.allowed(0, "cpu").tolist() == [1]


def test_deletions_take_whole_phrases():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # Six tokens of 2 characters; phrases begin at characters 0, 4 and 8 (tokens 0, 2 and 4).
    # From the start the model may write token 1 or jump to the start of a later phrase (3 or
    # 5), never into the middle of one (2, 4, 6); once inside a phrase it finishes it.
    chars = [[[2, 2, 2, 2, 2, 2]]]
    proc = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=chars, phrases=[[((0, 0), (4, 0), (8, 0), (12, 0))]])
    assert proc.allowed(0, "cpu").tolist() == [1, 3, 5]
    proc._advance(0, 3)
    assert proc.allowed(0, "cpu").tolist() == [4]
    proc._advance(0, 4)
    assert proc.allowed(0, "cpu").tolist() == [5]  # the last phrase holds the sentence's end
    # With a budget, a phrase once begun is counted whole before any jump: in 7 characters a
    # first or second phrase (4) and the last (4) do not fit, so only the last phrase may come
    # (token by token, tokens 1 and 3 would leave room: 2 + 4).
    tight = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=chars, budget=7, phrases=[[((0, 0), (4, 0), (8, 0), (12, 0))]])
    assert tight.allowed(0, "cpu").tolist() == [5]
    loose = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=chars, budget=8, phrases=[[((0, 0), (4, 0), (8, 0), (12, 0))]])
    assert loose.allowed(0, "cpu").tolist() == [1, 3, 5]
    # A phrase that must stay (the second) is counted too: 4 (first) + 4 + 4 > 10, so the line
    # may open with the second phrase but not with the first.
    kept = SubsequenceLogitsProcessor(
        [[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=chars, budget=10, phrases=[[((0, 0, False), (4, 0, True), (8, 1 << 20, False), (12, 1 << 20, False))]]
    )
    assert kept.allowed(0, "cpu").tolist() == [3]


def test_a_written_phrase_goes_on_to_the_word_it_hands_over_to():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # Eight tokens of 2 characters; four phrases at characters 0, 4, 8 and 12 (tokens 1, 3, 5,
    # 7); the last phrase holds the sentence's end. Units are (offset, scope, must stay, where
    # the predicate it hands over to begins, where its noun phrase's last word begins).
    tokens, chars = [[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[2] * 8]]

    def proc(first, budget=0):
        units = (first, (4, 0, False, -1, -1), (8, 0, False, -1, -1), (12, 0, False, -1, -1))
        return SubsequenceLogitsProcessor(tokens, newline_id=9, stop_ids=[0], start=0, chars=chars, budget=budget, phrases=[[units]])

    free = proc((0, 0, False, -1, -1))
    free._advance(0, 1)
    free._advance(0, 2)
    assert free.allowed(0, "cpu").tolist() == [3, 5, 7]
    # The first phrase hands over to the predicate that begins at character 4 (東京で…開催): once
    # written, the line goes on to it, not past it (東京で…行った would give the place to
    # another act).
    head = proc((0, 0, False, 4, -1))
    assert head.allowed(0, "cpu").tolist() == [1, 3, 5, 7]  # a line may still leave it out
    head._advance(0, 1)
    head._advance(0, 2)
    assert head.allowed(0, "cpu").tolist() == [3]
    # A modifier (平和像の…傍) whose noun phrase ends with the word at character 8: the next
    # phrase written begins by then.
    noun = proc((0, 0, False, -1, 8))
    noun._advance(0, 1)
    noun._advance(0, 2)
    assert noun.allowed(0, "cpu").tolist() == [3, 5]
    # With 8 characters to spend, the first phrase (4) would oblige its predicate (4) and the
    # end (4): it is not begun; without that obligation it fits with the end alone.
    assert proc((0, 0, False, 4, -1), budget=8).allowed(0, "cpu").tolist() == [3, 5, 7]
    assert proc((0, 0, False, -1, -1), budget=8).allowed(0, "cpu").tolist() == [1, 3, 5, 7]


def test_the_summarizer_tells_the_decoder_what_a_line_must_keep(tagger):
    from kiku.check import deletion_guide
    from kiku.clauses import phrase_units

    sentence = "日本の気象庁は静岡県と伊豆諸島に津波注意報を発令している。"
    tokens = tagger.tokens(sentence)
    guide = deletion_guide(sentence, tokens)
    units = {sentence[u[0] :][:3]: u for u in phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases)}
    assert units["気象庁"][2]  # the topic stays (a line without it is refused: drops the subject)
    assert units["津波注"][2]  # so does the object of the last predicate
    assert not units["日本の"][2] and units["日本の"][4] == sentence.index("庁")  # の goes on to its noun (気象庁)
    assert units["伊豆諸"][3] == sentence.index("発令")  # 伊豆諸島に goes on to 発令


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        # a subject whose clause goes on to the last predicate (通行人が発見し…行った): a line
        # without it gave the call to the paper cranes (千羽鶴が119番通報を行った)
        ("千羽鶴が燃えているのを、通行人が発見し119番通報を行った。", ["通行人"]),
        # the whole final predicate, not only its last words (方針もしている)
        ("日本マクドナルドは、上海の会社に対して損害賠償を求める方針も明らかにしている。", ["日本マクドナルド", "明らかにしている"]),
        # the subject where it stands as one, not an earlier word that reads the same
        ("抑え投手の一人で、中日の岩瀬仁紀(ひとき)投手が、今年度18セーブを挙げ、400セーブを達成した。", ["400セーブ", "達成した"]),
        # a nominalised clause that is the subject, and a predicate that describes the last noun
        ("ソニーが今回のカメラに用いたのは、新開発の裏面照射型センサーだ。", ["に用いたのは、"]),
        ("その走りは、スポーツカーの枠に収まらない魅力だ。", ["収まらない"]),
        # what was announced (吉本興業は発表した says nothing)
        ("吉本興業は前田氏が5月25日から当面の間芸能活動を休止すると発表した。", ["すると"]),
    ],
)
def test_the_decoder_keeps_what_the_checks_require(tagger, sentence, kept):
    from kiku.check import deletion_guide

    guide = deletion_guide(sentence, tagger.tokens(sentence))
    spans = [sentence[a:b] for a, b in guide.keep]
    assert all(word in spans for word in kept)
    if "岩瀬" in sentence:
        assert (sentence.index("投手が"), sentence.index("投手が") + 2) in guide.keep


def test_an_adverb_goes_on_to_its_predicate(tagger):
    from kiku.check import deletion_guide
    from kiku.clauses import phrase_units

    # まず…販売させることを決め、3月以後も…予定していた: まず may not be handed to 予定
    sentence = "吉野家は、まず2月11日から牛丼を販売させることを決め、3月以後も販売を予定していた。"
    tokens = tagger.tokens(sentence)
    guide = deletion_guide(sentence, tokens)
    unit = next(u for u in phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases, guide.needs) if u[0] == sentence.index("まず"))
    assert unit[3] == sentence.index("販売させる")


def test_a_note_is_written_only_with_its_word_and_a_case_particles_no_goes_on_to_its_noun(tagger):
    from kiku.check import deletion_guide
    from kiku.clauses import phrase_units

    sentence = "臨時評議員会が7月30日(UTC+9)あり、巨人軍との対戦で、佐々木主浩(かづひろ)氏の記録を上回った。"
    tokens = tagger.tokens(sentence)
    guide = deletion_guide(sentence, tokens)
    units = {sentence[u[0] :][:3]: u for u in phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases)}
    # a deletion may not end at a note ((かづひろ)記録), and after a note comes what followed
    # it ((UTC+9)移行 ran two words together)
    assert not units["(かづ"][5] and not units["(UT"][5] and units["あり、"][5]
    assert units["(UT"][4] == sentence.index("あり")
    # 巨人軍との goes on to 対戦, not to a later verb (との挙げ)
    assert units["巨人軍"][4] == sentence.index("対戦") and units["巨人軍"][3] == -1
    # a note after a quoted name is the name's: 対応した（富士通製）を発表 gave the maker to nothing
    sentence = "プラチナバンドに対応したスマートフォン「ARROWS A 101F」（富士通製）を発表しています。"
    tokens = tagger.tokens(sentence)
    guide = deletion_guide(sentence, tokens)
    units = {sentence[u[0] :][:3]: u for u in phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases, guide.needs)}
    assert not units["（富士"][5]


def test_a_deletion_does_not_end_where_a_unit_says_it_may_not_land():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # six phrases of one 2-character token each (the last two are the sentence's end); the
    # third (a note) cannot be landed on
    units = tuple((2 * q, 0, False, -1, -1, q != 2) for q in range(6))
    proc = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=[[[2] * 6]], phrases=[[units]])
    assert proc.allowed(0, "cpu").tolist() == [1, 2, 4, 5]
    proc._advance(0, 2)
    assert proc.allowed(0, "cpu").tolist() == [3, 4, 5]  # written with its word, it may stay


def _guided_units(tagger, sentence: str) -> dict:
    """The sentence's phrase units under its deletion guide, by their first three characters."""
    from kiku.check import deletion_guide
    from kiku.clauses import phrase_units

    tokens = tagger.tokens(sentence)
    guide = deletion_guide(sentence, tokens)
    return {sentence[u[0] :][:3]: u for u in phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases, guide.needs)}


def test_a_deleted_subject_or_object_takes_its_predicate_with_it(tagger):
    from kiku.models.generate import SubsequenceLogitsProcessor

    # 9人が病院に搬送される事故があった -> 搬送される事故があった said who was taken to hospital
    # no more; 統計を開始した1992年 -> 開始した1992年 what was begun
    sentence = "店で9人が病院に搬送される事故があり、統計を開始した1992年以降で最多となった。"
    units = _guided_units(tagger, sentence)
    assert units["9人が"][6] == sentence.index("搬送") and units["統計を"][6] == sentence.index("開始")
    assert units["病院に"][6] == -1
    # the first of two nouns joined by と: deleted, it takes the second with it (両島の住民と、
    # …観光客が対象 -> 観光客が対象 said residents were not eligible)
    sentence = "制度を利用する、両島の住民と、中国からの観光客が対象。"
    units = _guided_units(tagger, sentence)
    assert units["住民と"][6] == sentence.index("観光客")
    # the words that give a policy its content: deleted, the policy goes too
    sentence = "Jリーグは経営に参加する方針を固めた。"
    units = _guided_units(tagger, sentence)
    assert units["参加す"][6] == sentence.index("方針")
    # what a する says: deleted, the する goes too (「…」としたうえで -> 石井氏はしたうえで)
    sentence = "石井氏は席で、「違和感がある」としたうえで、「問いたい」とコメントしている。"
    units = _guided_units(tagger, sentence)
    assert units["ある」"][6] == sentence.index("したうえで")
    # a relative clause's subject in の, and the adverb of a denial: deleted, the predicate goes
    sentence = "セブン&アイが、ミレニアムの保有する株式を取得し、意図的に事実を歪めたわけではないとした。"
    units = _guided_units(tagger, sentence)
    assert units["ミレニ"][6] == sentence.index("保有") and units["意図的"][6] == sentence.index("歪め")
    # an adverb of degree: deleted, the word it qualifies goes too (一番売れた -> 売れた)
    units = _guided_units(tagger, "この期間で一番売れたカメラは「IXY 600F」だった。")
    assert units["一番売"][6] == "この期間で一番売れたカメラは「IXY 600F」だった。".index("売れた")
    # Six phrases of one 2-character token each (the last two the sentence's end); the second
    # is a subject whose predicate is the fourth: once it is deleted, the line jumps over that
    # predicate; with a budget, the first phrase is not begun when the way on cannot end.
    units = tuple((2 * q, 0, False, -1, -1, True, 6 if q == 1 else -1) for q in range(6))
    proc = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=[[[2] * 6]], phrases=[[units]])
    proc._advance(0, 1)
    proc._advance(0, 3)  # the subject (2) deleted
    assert proc.allowed(0, "cpu").tolist() == [5]  # not 4, its predicate
    proc._advance(0, 5)
    assert proc.allowed(0, "cpu").tolist() == [6]
    # When the predicate is the sentence's end, the subject cannot go: with a budget (which
    # looks ahead) no deletion after the first phrase is allowed; without one, no landing on
    # the predicate itself.
    units = tuple((2 * q, 0, False, -1, -1, True, 8 if q == 1 else -1) for q in range(6))
    ahead = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=[[[2] * 6]], phrases=[[units]], budget=12)
    ahead._advance(0, 1)
    assert ahead.allowed(0, "cpu").tolist() == [2]
    now = SubsequenceLogitsProcessor([[[1, 2, 3, 4, 5, 6]]], newline_id=9, stop_ids=[0], start=0, chars=[[[2] * 6]], phrases=[[units]])
    now._advance(0, 1)
    assert now.allowed(0, "cpu").tolist() == [2, 3, 4]


def test_a_deletion_takes_a_pair_of_brackets_whole():
    from kiku.models.generate import SubsequenceLogitsProcessor

    # 1「23」4567, a character a token (「 is 10, 」 11). Phrases begin at 1, at 「 (outside the
    # brackets, scope 0), at 3 (inside them: scope 2, one past the offset of 「) and at 4 (the
    # sentence's end, outside again).
    scopes = ((0, 0), (1, 0), (3, 2), (5, 0))
    proc = SubsequenceLogitsProcessor([[[1, 10, 2, 3, 11, 4, 5, 6, 7]]], newline_id=9, stop_ids=[0], start=0, chars=[[[1] * 9]], phrases=[[scopes]])
    assert proc.allowed(0, "cpu").tolist() == [1, 4, 10]  # not 3: a jump into the brackets
    proc._advance(0, 10)
    proc._advance(0, 2)
    assert proc.allowed(0, "cpu").tolist() == [3]  # not 4: a jump out of them, leaving 」 behind


def test_the_summarizer_gives_the_model_each_sentences_phrases(tiny, tagger):
    from kiku.check import deletion_guide
    from kiku.clauses import phrase_starts, phrase_units

    kiku = _kiku(tiny["causal"], tagger=tagger)
    doc = kiku.document(_articles()[0])
    for prompt in kiku.summarizer.prompts_for(doc):
        assert len(prompt.phrases) == len(prompt.sentences)
        for sentence, offsets in zip(prompt.sentences, prompt.phrases):
            tokens = tagger.tokens(sentence)
            guide = deletion_guide(sentence, tokens)
            assert offsets == phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases, guide.needs)
            assert [u[0] for u in offsets] == list(phrase_starts(sentence, tokens))


def test_a_refused_line_is_asked_for_again_alone(tiny, tagger):
    # The random model's lines are refused; each refused sentence goes to the model a second
    # time in its own prompt (one call for the batch), and the bullet records the second try.
    kiku = _kiku(tiny["causal"], "model.batch_size=6", 'model.retry="always"', tagger=tagger)
    assert not _kiku(tiny["causal"], tagger=tagger).summarizer.retry  # "auto": not on a CPU
    gen = kiku.summarizer.generator
    calls: list[list] = []
    inner = gen.generate

    def spy(prompts, constrained):
        calls.append(list(prompts))
        return inner(prompts, constrained=constrained)

    gen.generate = spy
    summaries = list(kiku.run(_articles()[:2]))
    assert len(calls) == 2
    first, second = calls
    assert all(len(p.sentences) == 3 for p in first)  # one prompt per article (CPU)
    assert second and all(len(p.sentences) == 1 for p in second)
    refused = [b for s in summaries for b in s.bullets if b.origin != "model" and b.reason != "repeats another bullet"]
    assert len(second) >= len(refused)
    with pytest.raises(ConfigError, match="model.retry"):
        load_config(overrides=["model.retry=true"])
