"""Evaluation: ROUGE that is right for Japanese, faithfulness, style and speed, per system.

ROUGE is computed with rouge-score on fugashi + unidic-lite tokens of the NFKC text with
punctuation and symbols removed (the XL-Sum authors' method for Japanese; rouge-score's default
tokenizer keeps only [a-z0-9] and scores Japanese as almost nothing), and again on characters.
Each ROUGE mean comes with a 95% bootstrap interval over articles, so that a reader can tell
whether two systems differ.
"""

from __future__ import annotations

import gzip
import json
import random
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from kiku import __version__
from kiku.config import Config, load_config
from kiku.check import unsupported
from kiku.errors import ConfigError
from kiku.ingest import json_lines, parse_record
from kiku.text import Tagger, normalize, split_sentences
from kiku.types import Article, Failure, Summary

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
REFERENCE_FIELDS = ("summary", "headline", "lead3")
BASELINES = ("lead3", "extractive")
METHOD = (
    "ROUGE F1 x100 from rouge-score on fugashi + unidic-lite surface tokens of NFKC text, "
    "punctuation (UniDic 補助記号) and spaces removed, no stemming; char_* the same on NFKC "
    "characters without punctuation, symbols and spaces; "
    "bullets joined into one text per article; 95% percentile bootstrap over articles "
    "(1000 resamples, seed 0)."
)
_PUNCT_POS = ("補助記号", "空白")  # UniDic's punctuation class, and spaces


@dataclass(frozen=True, slots=True)
class EvalRecord:
    """An article with its reference summary."""

    article: Article
    reference: str


@dataclass(frozen=True, slots=True)
class SystemOutput:
    article_id: str
    bullets: tuple[str, ...]
    failed: bool = False


@dataclass(frozen=True, slots=True)
class SystemReport:
    name: str
    articles: int
    failures: int
    rouge1: float
    rouge2: float
    rougeL: float
    rouge1_ci: tuple[float, float]
    rouge2_ci: tuple[float, float]
    rougeL_ci: tuple[float, float]
    char_rouge1: float
    char_rouge2: float
    char_rougeL: float
    #: Share of bullets whose numbers and proper nouns all occur in the source article.
    supported: float
    #: Share of bullets that are a source sentence copied whole.
    verbatim: float
    exactly_three: float
    mean_chars: float
    ends_with_maru: float
    within_limit: float
    articles_per_s: float
    load_s: float
    outputs: tuple[SystemOutput, ...] = field(default=(), repr=False)
    #: Per-article ROUGE F1 ×100, for paired comparisons between systems.
    per_article: dict[str, tuple[float, ...]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("outputs")
        data.pop("per_article")
        return data


def compare(system: SystemReport, baseline: SystemReport) -> dict[str, dict[str, Any]]:
    """Mean per-article ROUGE difference ``system - baseline`` with a 95% paired bootstrap
    interval: the difference is real when the interval excludes 0."""
    out = {}
    for k in ROUGE_TYPES:
        diffs = [a - b for a, b in zip(system.per_article[k], baseline.per_article[k], strict=True)]
        out[k] = {"diff": round(statistics.fmean(diffs), 2), "ci": list(bootstrap_interval(diffs))}
    return out


class JapaneseRougeTokenizer:
    """rouge-score tokenizer: fugashi surfaces of the NFKC text, punctuation removed."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger

    def tokenize(self, text: str) -> list[str]:
        return [t.surface for t in self.tagger.tokens(normalize(text)) if not t.pos.startswith(_PUNCT_POS)]


class CharTokenizer:
    """rouge-score tokenizer over characters of the NFKC text, punctuation and spaces removed."""

    def tokenize(self, text: str) -> list[str]:
        return [c for c in normalize(text) if unicodedata.category(c)[0] not in "PZSC"]


def read_eval_records(
    path: str, reference: str | None = None, hide_title: bool = False
) -> tuple[list[EvalRecord], str]:
    """Articles with references from a JSONL file (plain or .gz) in the shared-data format;
    ``reference`` is one of summary / headline / lead3, or None for the first the file has. A
    record without ``reference.headline`` uses its title as the headline. With ``hide_title``
    the summarizers do not see the title (fair when the title is the reference)."""
    records = []
    chosen = reference
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            parsed = list(json_lines(fh, path))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; check the path") from None
    except (OSError, EOFError) as exc:
        raise ConfigError(f"{path}: cannot read it as UTF-8 JSON lines ({exc})") from None
    for where, lineno, raw in parsed:
        if isinstance(raw, Failure):
            raise ConfigError(raw.describe())
        article = parse_record(raw, where, f"{path}-{lineno}")
        if not isinstance(article, Article):
            raise ConfigError(article.describe())
        refs = dict(raw.get("reference") or {})
        if not refs.get("headline") and article.title:
            refs["headline"] = article.title  # livedoor-style records: the title is the headline
        if hide_title:
            article = replace(article, title=None)
        if chosen is None:
            chosen = next((f for f in REFERENCE_FIELDS if refs.get(f)), None)
            if chosen is None:
                raise ConfigError(
                    f"{path}:{lineno}: no reference (reference.summary, .headline or .lead3); "
                    "evaluation needs one per article"
                )
        value = refs.get(chosen)
        if isinstance(value, list):
            value = "".join(value)
        if not value:
            raise ConfigError(f"{path}:{lineno}: no reference.{chosen}; choose another with --reference")
        records.append(EvalRecord(article, value))
    if not records:
        raise ConfigError(f"{path}: no articles")
    return records, chosen or ""


def bootstrap_interval(values: Sequence[float], resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean, resampling articles with replacement."""
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return round(means[int(0.025 * resamples)], 2), round(means[int(0.975 * resamples) - 1], 2)


def _lead3(records: Sequence[EvalRecord]) -> list[SystemOutput]:
    out = []
    for r in records:
        sentences = split_sentences(r.article.body, r.article.id)[:3]
        out.append(SystemOutput(r.article.id, tuple(s.text for s in sentences)))
    return out


def run_system(
    name: str, records: Sequence[EvalRecord], config: Config, tagger: Tagger | None = None
) -> tuple[list[SystemOutput], float, float]:
    """Outputs of system ``name`` (a summarizer or a baseline), load seconds, run seconds."""
    if name == "baseline-lead3":
        start = time.perf_counter()
        outputs = _lead3(records)
        return outputs, 0.0, time.perf_counter() - start
    from kiku.runner import Kiku

    start = time.perf_counter()
    kiku = Kiku(config, "extractive" if name == "baseline-extractive" else name, tagger=tagger)
    load = time.perf_counter() - start
    start = time.perf_counter()
    # Through the batched pipeline (one result per article, in order): a model summarizer
    # writes several articles per call.
    outputs = [
        SystemOutput(r.article.id, tuple(b.text for b in result.bullets))
        if isinstance(result, Summary)
        else SystemOutput(r.article.id, (), failed=True)
        for r, result in zip(records, kiku.run([r.article for r in records]))
    ]
    return outputs, load, time.perf_counter() - start


def score_system(
    name: str,
    records: Sequence[EvalRecord],
    outputs: Sequence[SystemOutput],
    config: Config,
    tagger: Tagger,
    load_s: float = 0.0,
    run_s: float = 0.0,
) -> SystemReport:
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        raise ConfigError(
            "kiku eval needs rouge-score; install it with: pip install -e \".[eval]\""
        ) from None

    words = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=JapaneseRougeTokenizer(tagger))
    chars = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=CharTokenizer())
    per: dict[str, list[float]] = {k: [] for k in ROUGE_TYPES}
    per_char: dict[str, list[float]] = {k: [] for k in ROUGE_TYPES}
    bullets_total = supported = verbatim = maru = within = 0
    lengths: list[int] = []
    for record, output in zip(records, outputs, strict=True):
        joined = "".join(output.bullets)
        for k, v in words.score(record.reference, joined).items():
            per[k].append(100 * v.fmeasure)
        for k, v in chars.score(record.reference, joined).items():
            per_char[k].append(100 * v.fmeasure)
        source = normalize(record.article.body)
        sentences = {normalize(s.text).rstrip("。.！!") for s in split_sentences(record.article.body)}
        for b in output.bullets:
            bullets_total += 1
            lengths.append(len(b))
            supported += not unsupported(b, source, tagger)
            verbatim += normalize(b).rstrip("。.！!") in sentences
            maru += b.endswith("。")
            within += len(b) <= config.summary.max_chars
    n = len(records)
    share = (lambda x: round(100 * x / bullets_total, 1)) if bullets_total else (lambda x: 0.0)
    return SystemReport(
        name=name,
        articles=n,
        failures=sum(o.failed for o in outputs),
        **{k: round(statistics.fmean(per[k]), 2) for k in ROUGE_TYPES},
        **{f"{k}_ci": bootstrap_interval(per[k]) for k in ROUGE_TYPES},
        **{f"char_{k}": round(statistics.fmean(per_char[k]), 2) for k in ROUGE_TYPES},
        supported=share(supported),
        verbatim=share(verbatim),
        exactly_three=round(100 * sum(len(o.bullets) == 3 for o in outputs) / n, 1),
        mean_chars=round(statistics.fmean(lengths), 1) if lengths else 0.0,
        ends_with_maru=share(maru),
        within_limit=share(within),
        articles_per_s=round(n / run_s, 1) if run_s > 0 else 0.0,
        load_s=round(load_s, 2),
        outputs=tuple(outputs),
        per_article={k: tuple(v) for k, v in per.items()},
    )


def evaluate(
    records: Sequence[EvalRecord],
    systems: Iterable[str],
    config: Config | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[SystemReport]:
    """Run and score each system on the same records: summarizer names, ``baseline-lead3``
    (the first three sentences as written) or ``baseline-extractive``."""
    config = config or load_config()
    tagger = Tagger()
    reports = []
    for name in systems:
        if progress:
            progress(name)
        outputs, load_s, run_s = run_system(name, records, config, tagger)
        reports.append(score_system(name, records, outputs, config, tagger, load_s, run_s))
    return reports


def _comparisons(reports: Sequence[SystemReport]) -> dict[str, dict[str, dict[str, Any]]]:
    """Each system against the first baseline, when one was run."""
    base = next((r for r in reports if r.name.startswith("baseline-")), None)
    if base is None:
        return {}
    return {f"{r.name} - {base.name}": compare(r, base) for r in reports if r is not base}


def report_dict(reports: Sequence[SystemReport], data: Sequence[str], reference: str, config: Config) -> dict[str, Any]:
    return {
        "kiku_version": __version__,
        "data": list(data),
        "reference": reference,
        "articles": reports[0].articles if reports else 0,
        "method": METHOD,
        "config_hash": config.hash,
        "systems": {r.name: r.to_dict() for r in reports},
        "comparisons": _comparisons(reports),
    }


def report_table(reports: Sequence[SystemReport]) -> str:
    head = (
        f"{'system':<21}{'R-1':>7}{'R-2':>7}{'R-L':>7}  {'R-1 95% CI':<15}{'cR-L':>7}"
        f"{'supp%':>7}{'verb%':>7}{'3-rate':>7}{'chars':>7}{'。%':>6}{'≤max%':>7}{'art/s':>8}{'load s':>7}"
    )
    lines = [head]
    for r in reports:
        lines.append(
            f"{r.name:<21}{r.rouge1:7.2f}{r.rouge2:7.2f}{r.rougeL:7.2f}  "
            f"{f'[{r.rouge1_ci[0]:.2f}, {r.rouge1_ci[1]:.2f}]':<15}{r.char_rougeL:7.2f}"
            f"{r.supported:7.1f}{r.verbatim:7.1f}{r.exactly_three:7.1f}{r.mean_chars:7.1f}"
            f"{r.ends_with_maru:6.1f}{r.within_limit:7.1f}{r.articles_per_s:8.1f}{r.load_s:7.2f}"
        )
    comparisons = _comparisons(reports)
    if comparisons:
        lines.append("paired difference, mean [95% bootstrap interval]:")
        for name, figures in comparisons.items():
            cells = "  ".join(
                f"{label} {f['diff']:+.2f} [{f['ci'][0]:+.2f}, {f['ci'][1]:+.2f}]"
                for label, f in zip(("R-1", "R-2", "R-L"), figures.values())
            )
            lines.append(f"  {name:<36}{cells}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One ``kiku eval`` run: the reports and what they were computed on."""

    reports: tuple[SystemReport, ...]
    data: tuple[str, ...]
    reference: str
    hide_title: bool
    config: Config

    @property
    def articles(self) -> int:
        return self.reports[0].articles if self.reports else 0


def evaluate_files(
    paths: Sequence[str],
    summarizers: Sequence[str] = (),
    baselines: Sequence[str] = (),
    config: Config | None = None,
    *,
    reference: str | None = None,
    limit: int = 0,
    hide_title: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """``kiku eval``: read the JSONL files (each cut to ``limit`` articles), run the baselines
    (``lead3``, ``extractive``) and the summarizers on the same records, and score them. With
    no summarizer named, the extractive one is evaluated (the model one is slow on a CPU; name
    it to evaluate it)."""
    config = config or load_config()
    records: list[EvalRecord] = []
    for path in paths:
        found, reference = read_eval_records(path, reference, hide_title=hide_title)
        records.extend(found[:limit] if limit else found)
    systems = [f"baseline-{b}" for b in dict.fromkeys(baselines)]
    if summarizers:
        systems += list(dict.fromkeys(summarizers))
    elif "baseline-extractive" not in systems:
        systems.append("extractive")
    reports = evaluate(records, systems, config, progress=(lambda name: progress(f"evaluating {name} on {len(records)} articles")) if progress else None)
    return Evaluation(tuple(reports), tuple(paths), reference or "", hide_title, config)


def evaluation_text(result: Evaluation) -> str:
    hidden = ", titles hidden from the summarizers" if result.hide_title else ""
    return f"{result.articles} articles, reference: {result.reference}{hidden}\n" + report_table(result.reports)


def evaluation_json(result: Evaluation) -> str:
    return json.dumps(report_dict(result.reports, result.data, result.reference, result.config), ensure_ascii=False, indent=2) + "\n"


EVAL_FORMATS: dict[str, Callable[[Evaluation], str]] = {"text": evaluation_text, "json": evaluation_json}
