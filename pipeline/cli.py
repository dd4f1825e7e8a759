"""The ``kiku`` command: a thin layer that parses arguments and calls the library.

Heavy modules (the tagger, torch) are imported inside the commands that need them, so that
``kiku --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, BinaryIO

from pipeline import __version__

if TYPE_CHECKING:  # the command line imports the library lazily, to answer --help at once
    from pipeline.types import Failure

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_NOTHING_DONE = 3

EPILOG = """\
examples:
  kiku summarize examples/articles/wikinews-typhoon.txt
  kiku summarize --summarizer extractive examples/articles/ --format json
  kiku summarize --summarizer extractive - --set summary.max_chars=60 < examples/articles/wikinews-typhoon.txt
  kiku models
  kiku sentences --kinds examples/articles/wikinews-typhoon.txt
  kiku tokens examples/articles/wikinews.jsonl

inputs: a .txt file is one article (a first line followed by a blank line is its title);
.jsonl / .json files hold records with "body" and optionally "id", "title", "url",
"published", "source"; .html pages (main text, title, date and site from the page); RSS,
RDF and Atom feeds (.xml, .rss, .rdf, .atom); http(s) URLs of feeds or pages; a folder is
read recursively; - reads standard input. UTF-8, Shift_JIS, EUC-JP and ISO-2022-JP are read.
--fetch replaces feed items that are only teasers with their pages' full text.

exit codes: 0 all articles done, 1 some failed (each reported on stderr), 2 usage or
configuration error, 3 nothing could be done.
"""


DIGEST_EPILOG = """\
examples:
  kiku digest feed.xml articles/ -o draft.md
  kiku digest feed.xml -o draft.html                  # a page to review in a browser
  kiku digest feed.xml --format json                  # for a CMS (schema: configs/digest.schema.json)
  kiku digest feeds/ --since 2025/03/14 --until 2025/03/14 --sections 5 --points 3
  kiku digest --summarizer extractive examples/articles/ --title "今週のニュース"

Same input and configuration give byte-identical output.
"""


BATCH_EPILOG = """\
examples:
  kiku batch run feeds.toml --store kiku.db --digest-dir out/   # fetch, summarise new articles, write today's digest
  kiku batch status --store kiku.db [--json]                     # what is stored, pending, failed
  kiku batch retry --store kiku.db                               # retry failed articles
  kiku batch export --store kiku.db > summaries.jsonl

feeds.toml:
  [[feeds]]
  url = "https://www.example.jp/rss.xml"   # or a local path, relative to this file
  name = "Example News"                     # optional: site name for 出典
  fetch = false                             # optional: fetch full text of teaser-only items

A run can be stopped at any moment (even kill -9): the next run finishes the work, with
nothing lost and nothing summarised twice. One run at a time per store.
exit codes: 0 all good, 1 some articles or feeds failed (recorded; retry), 2 usage or
configuration error, 3 nothing could be done (e.g. the store is in use).
"""


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _add_common(p: argparse.ArgumentParser, *, summarizer: bool) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders or - for stdin (default: -)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--config", action="append", default=[], metavar="FILE", help="TOML file laid over configs/default.toml (repeatable)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="overrides",
        help="override one config key, e.g. --set summary.max_chars=60 (repeatable)",
    )
    if summarizer:
        p.add_argument(
            "--summarizer",
            metavar="NAME",
            help="transformer (default: the model writes, checked), extractive (no model) or lead3",
        )
        p.add_argument(
            "--model",
            metavar="MODEL",
            help="model for the transformer summarizer: a preset (see kiku models), a local folder, a .gguf file or a hub id",
        )
    p.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the full page of feed items that carry only a teaser (sets input.fetch; cached)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first bad article instead of recording it")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiku",
        description="Kiku (菊): Japanese news articles, feeds and pages into three ✅ bullets each and digest drafts.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kiku {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "summarize",
        help="three ✅ bullets per article",
        description="Summarise each article into ✅ bullets taken from its own sentences.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(p, summarizer=True)
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or JSON lines")

    p = sub.add_parser(
        "digest",
        help="a digest draft: sections, source cards, 🚩 結論! and 💡 points",
        description=(
            "Summarise the articles and assemble a digest draft: a title and lead, topic sections "
            "(articles grouped by their content) each with a question and its answer, one source "
            "card per article, and a 🚩 結論! block of 💡 points. Every sentence comes from the "
            "articles or is checked against them."
        ),
        epilog=DIGEST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(p, summarizer=True)
    p.add_argument("--format", choices=("md", "html", "json"), help="md (default; html or json when -o ends so)")
    p.add_argument("--title", help="the digest's title (default: built from its dates and topics)")
    p.add_argument("--sections", type=_positive, metavar="N", help="at most N sections; the smallest topics are merged into その他の話題")
    p.add_argument("--points", type=_positive, metavar="N", help="N 💡 points (default: one per section)")
    p.add_argument("--since", metavar="DATE", help="only articles published at or after DATE (2025/03/14, 2025-03-14T09:00+09:00, …)")
    p.add_argument("--until", metavar="DATE", help="only articles published before the end of DATE (or before DATE's time when it has one)")
    p.add_argument("--max-articles", type=_positive, metavar="N", help="only the N newest articles")

    p = sub.add_parser(
        "batch",
        help="incremental, resumable runs over news feeds with a SQLite store",
        description="Batch jobs over feeds: a SQLite store remembers articles and summaries, so each run does only new work.",
        epilog=BATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bsub = p.add_subparsers(dest="batch_command", metavar="ACTION")
    for name, text in (
        ("run", "read the feeds, summarise new and changed articles, write the run's digest"),
        ("retry", "summarise again the articles whose last try failed"),
        ("status", "what the store holds: articles, summarised, pending, failed"),
        ("export", "every stored summary as JSON lines (the shape of kiku summarize --format json)"),
    ):
        b = bsub.add_parser(name, help=text, description=text)
        if name == "run":
            b.add_argument("feeds", metavar="FEEDS.toml", help="the feeds: [[feeds]] with url (or a local path), name, fetch")
        b.add_argument("--store", required=True, metavar="DB", help="the SQLite store (created when missing)")
        b.add_argument("--config", action="append", default=[], metavar="FILE", help="TOML file laid over configs/default.toml")
        b.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides", help="override one config key")
        b.add_argument("--summarizer", metavar="NAME", help="transformer, extractive or lead3 (default: the config's)")
        b.add_argument("--model", metavar="MODEL", help="model for the transformer summarizer")
        if name in ("run", "retry"):
            b.add_argument(
                "--workers", type=_positive, metavar="N",
                help="processes for the extractive path (default: one per core, up to 4, when there are over 200 articles to do)",
            )
            b.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for another run on the store to finish (default: refuse at once)")
            b.add_argument("--progress", choices=("auto", "always", "never"), default="auto", help="progress bar on stderr (auto: when it is a terminal)")
        if name == "run":
            b.add_argument("--digest-dir", metavar="DIR", help="write the run's digest here (digest-YYYYMMDD.md, today in Japan time)")
            b.add_argument("--digest-format", choices=("md", "html", "json"), default="md")
            b.add_argument("--digest-max", type=_positive, default=300, metavar="N", help="the newest N articles of the run's feeds go in the digest (default 300)")
        if name == "status":
            b.add_argument("--json", action="store_true", help="the counts as JSON")
        if name == "export":
            b.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    p = sub.add_parser("sentences", help="print one sentence per line", description="Split articles into sentences, one per line.")
    _add_common(p, summarizer=False)
    p.add_argument("--kinds", action="store_true", help="prefix each sentence with its kind (body, caption, related, …)")

    p = sub.add_parser(
        "tokens",
        help="print surface, part of speech and lemma per token",
        description="Tokenise with fugashi + unidic-lite: surface<TAB>pos<TAB>lemma, EOS after each sentence.",
    )
    _add_common(p, summarizer=False)

    p = sub.add_parser(
        "eval",
        help="ROUGE, faithfulness, style and speed of summarizers against references",
        description=(
            "Evaluate summarizers on JSONL articles with references (reference.summary, "
            ".headline or .lead3). ROUGE uses fugashi + unidic-lite tokens with punctuation "
            "removed, plus a character-level variant, with 95%% bootstrap intervals."
        ),
    )
    p.add_argument("data", nargs="+", metavar="DATA", help="JSONL files of articles with references")
    p.add_argument("--summarizer", action="append", default=[], metavar="NAME", help="a summarizer to evaluate (repeatable; default: extractive)")
    p.add_argument(
        "--baseline",
        action="append",
        default=[],
        choices=("lead3", "extractive"),
        help="a built-in baseline (repeatable): lead3 = the first three sentences as written; extractive",
    )
    p.add_argument("--reference", choices=("summary", "headline", "lead3"), help="reference field (default: the first the file has)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="only the first N articles of each file")
    p.add_argument("--hide-title", action="store_true", help="do not show summarizers the title (fair when the headline is the reference)")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON ('-' for stdout)")
    p.add_argument("--config", action="append", default=[], metavar="FILE", help="TOML file laid over configs/default.toml")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides", help="override one config key")

    sub.add_parser("models", help="list the model presets and where their weights come from")
    sub.add_parser("info", help="versions of Kiku, fugashi, the dictionary, torch and transformers")
    return parser


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Run the command line; returns the exit code (see ``kiku --help``)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    from pipeline.errors import ConfigError, KikuError

    try:
        if args.command == "info":
            return _info(out)
        if args.command == "models":
            return _models(out)
        if args.command == "eval":
            return _eval(args, out, err)
        if args.command == "batch":
            return _batch(args, out, err)
        if stdin is None:
            stdin = sys.stdin.buffer
        if not args.inputs:
            if stdin.isatty() if hasattr(stdin, "isatty") else False:
                print("kiku: give an input file, a folder, or - to read standard input", file=err)
                return EXIT_USAGE
            args.inputs = ["-"]
        sink: IO[str]
        if args.output:
            sink = open(args.output, "w", encoding="utf-8")
        else:
            sink = out
        try:
            if args.command == "summarize":
                return _summarize(args, stdin, sink, err)
            if args.command == "digest":
                return _digest(args, stdin, sink, err)
            return _text_command(args, stdin, sink, err)
        finally:
            if args.output:
                sink.close()
    except ConfigError as exc:
        if args.debug:
            raise
        print(f"kiku: {exc}", file=err)
        return EXIT_USAGE
    except KikuError as exc:
        if args.debug:
            raise
        print(f"kiku: {exc}", file=err)
        return EXIT_SOME_FAILED
    except BrokenPipeError:
        # The reader went away (`kiku summarize … | head`): stop quietly, as Unix tools do.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if args.debug:
            raise
        print(f"kiku: {exc.filename or ''}: {exc.strerror}", file=err)
        return EXIT_USAGE


def _report(failure: Failure, err: IO[str]) -> None:
    print(f"kiku: {failure.describe()}", file=err)


def _exit_code(done: int, failed: int) -> int:
    if failed == 0:
        return EXIT_OK
    return EXIT_SOME_FAILED if done else EXIT_NOTHING_DONE


def _summarize(args: argparse.Namespace, stdin: BinaryIO, sink: IO[str], err: IO[str]) -> int:
    import json

    from pipeline.render import summary_json, summary_text
    from pipeline.runner import Kiku
    from pipeline.types import Failure

    overrides = _overrides(args)
    if args.model:
        overrides.append(f"model.preset={json.dumps(args.model)}")
    kiku = Kiku.from_files(args.config, overrides, args.summarizer, strict=args.strict)
    done = failed = 0
    first = True
    for result in kiku.run_inputs(args.inputs, stdin, warn=lambda message: print(f"kiku: {message}", file=err)):
        if isinstance(result, Failure):
            failed += 1
            _report(result, err)
            continue
        done += 1
        for note in result.notes:
            print(f"kiku: {result.article.origin or result.article_id}: {note}", file=err)
        if args.format == "json":
            sink.write(summary_json(result, kiku.config))
        else:
            if not first:
                sink.write("\n")
            sink.write(summary_text(result))
        first = False
        sink.flush()
    return _exit_code(done, failed)


def _digest(args: argparse.Namespace, stdin: BinaryIO, sink: IO[str], err: IO[str]) -> int:
    import json
    import re
    from datetime import timedelta

    from pipeline.dates import parse_date
    from pipeline.digest import DigestOptions
    from pipeline.digest_render import to_html, to_json, to_markdown
    from pipeline.errors import ConfigError, KikuError
    from pipeline.ingest import read_inputs
    from pipeline.runner import Kiku
    from pipeline.types import Article, Failure

    def moment(option: str, value: str | None, end: bool) -> object:
        if value is None:
            return None
        when = parse_date(value)
        if when is None:
            raise ConfigError(f"{option} {value!r}: not a date; write it like 2025/03/14 or 2025-03-14T09:00+09:00")
        has_time = bool(re.search(r"\d\s*[:時]|T\d", value))
        return when + timedelta(days=1) if end and not has_time else when

    overrides = _overrides(args)
    if args.model:
        overrides.append(f"model.preset={json.dumps(args.model)}")
    fmt = args.format or {"html": "html", "htm": "html", "json": "json"}.get((args.output or "").rsplit(".", 1)[-1].lower(), "md")
    kiku = Kiku.from_files(args.config, overrides, args.summarizer, strict=args.strict)
    cfg = kiku.config.digest
    options = DigestOptions(
        title=args.title,
        sections=args.sections or cfg.sections,
        points=args.points or cfg.points,
        since=moment("--since", args.since, end=False),
        until=moment("--until", args.until, end=True),
        max_articles=args.max_articles or 0,
    )
    warn = lambda message: print(f"kiku: {message}", file=err)  # noqa: E731
    articles: list[Article] = []
    failed = 0
    for item in read_inputs(args.inputs, stdin, kiku.config.input, warn):
        if isinstance(item, Failure):
            if args.strict:
                raise KikuError(item.describe())
            failed += 1
            _report(item, err)
        else:
            articles.append(item)
    digest = kiku.digest(
        articles,
        options,
        on_failure=lambda failure: _report(failure, err),
        on_summary=lambda s: [warn(f"{s.article.origin or s.article_id}: {note}") for note in s.notes],
    )
    if digest.left_out:
        described = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(digest.left_out.items()))
        warn(f"left out {sum(digest.left_out.values())} article(s) by the options: {described}")
    done = sum(len(s.summaries) for s in digest.sections)
    chosen = len(articles) - sum(digest.left_out.values())
    failed += chosen - done
    if not done:
        print("kiku: no article to make a digest from", file=err)
        return EXIT_NOTHING_DONE
    render = {"md": to_markdown, "html": to_html, "json": to_json}[fmt]
    sink.write(render(digest))
    return _exit_code(done, failed)


def _overrides(args: argparse.Namespace) -> list[str]:
    return [*args.overrides, *(["input.fetch=true"] if getattr(args, "fetch", False) else [])]


def _batch(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    import json
    from pathlib import Path

    from pipeline.batch import Batch, load_feeds
    from pipeline.config import load_config
    from pipeline.store import Store, StoreLocked

    if args.batch_command is None:
        print("kiku batch: say run, retry, status or export (kiku batch --help)", file=err)
        return EXIT_USAGE
    overrides = list(args.overrides)
    if args.model:
        overrides.append(f"model.preset={json.dumps(args.model)}")
    config = load_config(args.config, overrides)
    summarizer = args.summarizer or config.summary.summarizer
    from pipeline.summarize import available_summarizers
    from pipeline.errors import UnknownSummarizerError

    if summarizer not in available_summarizers():
        raise UnknownSummarizerError(summarizer, available_summarizers())
    feeds = load_feeds(args.feeds) if args.batch_command == "run" else []
    if args.batch_command in ("status", "export") and not Path(args.store).exists():
        print(f"kiku: {args.store}: no such store; kiku batch run creates it", file=err)
        return EXIT_USAGE
    with Store(args.store) as store:
        model = config.model.preset if summarizer == "transformer" else ""
        if args.batch_command == "status":
            status = store.status(summarizer, model, config.hash)
            if args.json:
                out.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
            else:
                last = status["last_run"]
                out.write(
                    f"{status['store']}: {status['feeds']} feeds, {status['articles']} articles: "
                    f"{status['summarised']} summarised, {status['pending']} pending, {status['failed']} failed "
                    f"({summarizer}{', ' + model if model else ''}, config {config.hash})\n"
                )
                if status["input_failures"]:
                    out.write(f"{status['input_failures']} feeds or items could not be read (kiku batch run tries them again)\n")
                for row in store.failures():
                    out.write(f"  failed ({row['stage']}, {row['attempts']} tries): {row['origin']}: {row['message']}\n")
                if last:
                    state = f"ended {last['ended_at']}" if last["finished"] else "did not finish (stopped or running)"
                    out.write(f"last run {last['id']}: started {last['started_at']}, {state}\n")
            return EXIT_OK
        if args.batch_command == "export":
            sink = open(args.output, "w", encoding="utf-8") if args.output else out
            try:
                for line in store.export():
                    sink.write(line + "\n")
            finally:
                if args.output:
                    sink.close()
            return EXIT_OK
        try:
            store.lock(args.wait)
        except StoreLocked as exc:
            print(f"kiku: {exc}", file=err)
            return EXIT_NOTHING_DONE
        progress = {"auto": None, "always": True, "never": False}[args.progress]
        batch = Batch(
            config, store, summarizer, workers=args.workers,
            warn=lambda message: print(f"kiku: {message}", file=err),
            report_failure=lambda failure: _report(failure, err),
            progress_stream=err, progress=progress,
        )
        if args.batch_command == "retry":
            report = batch.retry()
        else:
            digest_dir = Path(args.digest_dir) if args.digest_dir else None
            report = batch.run(feeds, digest_dir, args.digest_format, args.digest_max)
        print(f"kiku: {report.line()}", file=err)
        failed = report.failed + report.item_failures
        if args.batch_command == "run" and report.feeds_failed == report.feeds:
            return EXIT_NOTHING_DONE
        if failed:
            return EXIT_SOME_FAILED
        return EXIT_OK


def _text_command(args: argparse.Namespace, stdin: BinaryIO, sink: IO[str], err: IO[str]) -> int:
    from pipeline.config import load_config
    from pipeline.errors import ArticleError
    from pipeline.ingest import read_inputs
    from pipeline.text import Preprocessor, split_sentences
    from pipeline.types import Failure

    pre = Preprocessor() if args.command == "tokens" else None
    done = failed = 0
    settings = load_config(args.config, _overrides(args)).input
    for item in read_inputs(args.inputs, stdin, settings, warn=lambda message: print(f"kiku: {message}", file=err)):
        if isinstance(item, Failure):
            failed += 1
            _report(item, err)
            continue
        if args.command == "sentences":
            for s in split_sentences(item.body, item.id):
                sink.write(f"{s.kind.value}\t{s.text}\n" if args.kinds else f"{s.text}\n")
        else:
            assert pre is not None
            try:
                doc = pre(item)
            except ArticleError as exc:
                failed += 1
                print(f"kiku: {item.origin}: {exc.message}", file=err)
                continue
            for i in range(len(doc.sentences)):
                for t in doc.tokens(i):
                    sink.write(f"{t.surface}\t{t.pos}\t{t.lemma}\n")
                sink.write("EOS\n")
        done += 1
    return _exit_code(done, failed)


def _eval(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    import json

    from pipeline.config import load_config
    from pipeline.evaluate import evaluate, read_eval_records, report_dict, report_table

    config = load_config(args.config, args.overrides)
    records = []
    reference = args.reference
    for path in args.data:
        found, reference = read_eval_records(path, reference, hide_title=args.hide_title)
        records.extend(found[: args.limit] if args.limit else found)
    systems = [f"baseline-{b}" for b in dict.fromkeys(args.baseline)]
    if args.summarizer:
        systems += list(dict.fromkeys(args.summarizer))
    elif "baseline-extractive" not in systems:
        # The model summarizer is slow on CPU: evaluate it when asked (--summarizer transformer).
        systems.append("extractive")
    reports = evaluate(records, systems, config, progress=lambda name: print(f"kiku: evaluating {name} on {len(records)} articles", file=err))
    hidden = ", titles hidden from the summarizers" if args.hide_title else ""
    out.write(f"{len(records)} articles, reference: {reference}{hidden}\n")
    out.write(report_table(reports))
    if args.json:
        text = json.dumps(report_dict(reports, args.data, reference, config), ensure_ascii=False, indent=2) + "\n"
        if args.json == "-":
            out.write(text)
        else:
            with open(args.json, "w", encoding="utf-8") as fh:
                fh.write(text)
    return EXIT_OK


def _models(out: IO[str]) -> int:
    from models.presets import load_presets
    from pipeline.config import load_config

    default = load_config().model.preset
    for name, preset in load_presets().items():
        mark = " (default)" if name == default else ""
        out.write(f"{name}{mark}\n  {preset.description}\n  kind: {preset.kind}, licence: {preset.licence}\n")
        out.write(f"  weights: {preset.source}\n")
        if preset.install:
            out.write(f"  install: {preset.install}\n")
    return EXIT_OK


def _info(out: IO[str]) -> int:
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.text import Tagger

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    tagger = Tagger()
    rows = [
        ("kiku", __version__),
        ("python", sys.version.split()[0]),
        ("fugashi", ver("fugashi")),
        ("unidic-lite", f"{ver('unidic-lite')} ({tagger.dictionary_version})"),
        ("dictionary", tagger.dicdir),
        ("torch", ver("torch")),
        ("transformers", ver("transformers")),
    ]
    for name, value in rows:
        out.write(f"{name:<13}{value}\n")
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
