"""The ``kiku`` command: parse the arguments, validate them, call one library function.

Every command that writes data takes ``--format`` and ``-o FILE``; data goes to standard output
(pure data: JSON is nothing but JSON) or, with ``-o``, to a file replaced only when the command
has something to show (:mod:`kiku.output`). Messages, tables shown beside JSON and progress go to
standard error. Heavy modules (the tagger, torch) are imported inside the commands that need
them, so that ``kiku --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, BinaryIO

from kiku import __version__

# The exit codes of kiku.runner, repeated here so that --help needs no import of the library.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING_DONE = 0, 1, 2, 3

EPILOG = """\
examples:
  kiku summarize examples/articles/wikinews-typhoon.txt
  kiku summarize --summarizer extractive examples/articles/ --format json
  kiku summarize --summarizer extractive - --set summary.max_chars=60 < examples/articles/wikinews-typhoon.txt
  kiku models
  kiku sentences --kinds examples/articles/wikinews-typhoon.txt
  kiku tokens examples/articles/wikinews.jsonl

inputs: a .txt file is one article (a first line followed by a blank line is its title);
.jsonl / .json files (gzipped too: .jsonl.gz) and .parquet tables hold records with "body"
and optionally "id", "title", "url", "published", "source"; .html pages (main text, title, date and site from the page); RSS,
RDF and Atom feeds (.xml, .rss, .rdf, .atom); http(s) URLs of feeds or pages; a folder is
read recursively; - reads standard input. UTF-8, Shift_JIS, EUC-JP and ISO-2022-JP are read.
--fetch replaces feed items that are only teasers with their pages' full text.

output: standard output, or -o FILE (written whole when the run ends; a failed run leaves
the previous file as it was). --format json writes JSON only; messages go to stderr.

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
  kiku digest articles/ --bridges -o draft.md         # lines between cards that relate them (model)

Same input and configuration give byte-identical output.
"""


BATCH_EPILOG = """\
examples:
  kiku batch run feeds.toml --store kiku.db --digest-dir out/   # fetch, summarise new articles, write today's digest
  kiku batch status --store kiku.db [--format json]              # what is stored, pending, failed
  kiku batch retry --store kiku.db                               # retry failed articles
  kiku batch export --store kiku.db -o summaries.jsonl

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


def _add_config(p: argparse.ArgumentParser) -> None:
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


def _add_summarizer(p: argparse.ArgumentParser) -> None:
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
        "--endpoint", metavar="URL",
        help="an OpenAI-compatible server that writes instead of a local model (vLLM, llama.cpp, Ollama, TGI), "
        "e.g. http://127.0.0.1:8000/v1; --model then names the server's model (API key: $KIKU_API_KEY or $OPENAI_API_KEY)",
    )
    p.add_argument(
        "--device", choices=("auto", "cpu", "cuda"),
        help="where the model runs: auto (a CUDA GPU when there is one, else the CPU; the default), cpu or cuda",
    )


def _add_output(p: argparse.ArgumentParser, formats: Sequence[str], default: str, guessed: bool = False) -> None:
    how = f"{' or '.join(formats)} (default: {default}"
    how += "; or as -o FILE's suffix says)" if guessed else ")"
    p.add_argument("--format", choices=formats, default=None if guessed else default, help=how)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output (replaced only when the run succeeds)")


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders, URLs or - for stdin (default: -)")
    _add_config(p)
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
    _add_inputs(p)
    _add_summarizer(p)
    _add_output(p, ("text", "json", "parquet"), "text")
    p.add_argument(
        "--ray", action="store_true",
        help="run on a Ray cluster (a local one unless --ray-address is given): for corpora of files; "
        "-o DIR writes part files (JSON lines, or Parquet when DIR ends in .parquet or with --format parquet). "
        'Needs pip install -e ".[ray]"',
    )
    p.add_argument("--ray-address", metavar="ADDR", help="join the running Ray cluster at ADDR (ray start --head prints it); implies --ray")
    p.add_argument("--ray-actors", type=_positive, metavar="N", help="actors in the pool (default: from the cluster's CPUs and GPUs)")

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
    _add_inputs(p)
    _add_summarizer(p)
    _add_output(p, ("md", "html", "json"), "md", guessed=True)
    p.add_argument("--title", help="the digest's title (default: built from its dates and topics)")
    p.add_argument("--sections", type=_positive, metavar="N", help="at most N sections; the smallest topics are merged into その他の話題")
    p.add_argument("--points", type=_positive, metavar="N", help="N 💡 points (default: one per section)")
    p.add_argument("--bridges", action="store_true", default=None,
                   help="between the cards of a section, up to two checked lines that relate them (needs a model)")
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
        ("export", "every stored summary, as kiku summarize writes it (JSON lines by default)"),
    ):
        b = bsub.add_parser(name, help=text, description=text)
        if name == "run":
            b.add_argument("feeds", metavar="FEEDS.toml", help="the feeds: [[feeds]] with url (or a local path), name, fetch")
        b.add_argument("--store", required=True, metavar="DB", help="the SQLite store (created when missing)")
        _add_config(b)
        _add_summarizer(b)
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
            _add_output(b, ("text", "json"), "text")
            b.add_argument("--json", action="store_const", const="json", dest="format", help="deprecated: --format json")
        if name == "export":
            _add_output(b, ("json", "text"), "json")

    p = sub.add_parser("sentences", help="print one sentence per line", description="Split articles into sentences, one per line.")
    _add_inputs(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--kinds", action="store_true", help="prefix each sentence with its kind (body, caption, related, …)")

    p = sub.add_parser(
        "tokens",
        help="print surface, part of speech and lemma per token",
        description="Tokenise with fugashi + unidic-lite: surface<TAB>pos<TAB>lemma, EOS after each sentence.",
    )
    _add_inputs(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

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
    _add_output(p, ("text", "json"), "text")
    p.add_argument("--json", metavar="FILE", dest="json_file", help="deprecated: the table on stdout and the JSON report in FILE; use --format json [-o FILE]")
    _add_config(p)

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
    from kiku.errors import ConfigError, KikuError

    say = _sayer(err)
    handler = _log_to(err)
    try:
        command = _COMMANDS[args.command]
        if args.command in ("summarize", "digest", "sentences", "tokens"):
            if stdin is None:
                stdin = sys.stdin.buffer
            if not args.inputs:
                if stdin.isatty() if hasattr(stdin, "isatty") else False:
                    say("give an input file, a folder, or - to read standard input")
                    return EXIT_USAGE
                args.inputs = ["-"]
            from kiku.output import refuse_input_as_output

            refuse_input_as_output(args.output, args.inputs)
        return command(args, stdin, out, err)
    except ConfigError as exc:
        if args.debug:
            raise
        say(str(exc))
        return EXIT_USAGE
    except KikuError as exc:
        if args.debug:
            raise
        say(str(exc))
        return EXIT_SOME_FAILED
    except BrokenPipeError:
        # The reader went away (`kiku summarize … | head`): stop quietly, as Unix tools do.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if args.debug:
            raise
        say(f"{exc.filename or ''}: {exc.strerror}")
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, never a traceback
        if args.debug:
            raise
        say(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for a traceback and report it")
        return EXIT_SOME_FAILED
    finally:
        logging.getLogger("kiku").removeHandler(handler)


def _log_to(err: IO[str]) -> logging.Handler:
    """The library's progress messages (preparing and loading a model, a model call that
    failed) as ``kiku: …`` lines on stderr."""
    from kiku.text import show_safely

    class Safe(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return show_safely(super().format(record))

    handler = logging.StreamHandler(err)
    handler.setFormatter(Safe("kiku: %(message)s"))
    logger = logging.getLogger("kiku")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def _sayer(err: IO[str]) -> Callable[[str], None]:
    """One line on stderr per message, prefixed with the program's name."""

    def say(message: str) -> None:
        from kiku.text import show_safely

        print(f"kiku: {show_safely(message)}", file=err)

    return say


def _overrides(args: argparse.Namespace) -> list[str]:
    """``--set`` overrides, with ``--fetch`` and ``--model`` as the config keys they stand for."""
    overrides = list(args.overrides)
    if getattr(args, "fetch", False):
        overrides.append("input.fetch=true")
    if getattr(args, "model", None):
        overrides.append(f"model.preset={json.dumps(args.model)}")
    if getattr(args, "device", None):
        overrides.append(f"model.device={json.dumps(args.device)}")
    if getattr(args, "endpoint", None):
        overrides.append(f"model.endpoint={json.dumps(args.endpoint)}")
    return overrides


def _kiku(args: argparse.Namespace):  # noqa: ANN202 - kiku.runner is imported lazily
    from kiku.runner import Kiku

    return Kiku.from_files(args.config, _overrides(args), getattr(args, "summarizer", None), strict=getattr(args, "strict", False))


def _summarize(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    say = _sayer(err)
    from kiku.output import open_output

    if args.ray or args.ray_address or args.ray_actors:
        return _summarize_on_ray(args, out, say)
    if args.format == "parquet":
        say("--format parquet writes part files: give it with --ray and -o DIR")
        return EXIT_USAGE

    kiku = _kiku(args)
    with open_output(args.output, out) as sink:
        outcome = kiku.summarize_inputs(args.inputs, sink, args.format, stdin=stdin, report=say, progress=err)
        if not outcome.done:
            sink.discard()
    return outcome.exit_code


def _summarize_on_ray(args: argparse.Namespace, out: IO[str], say: Callable[[str], None]) -> int:
    from kiku.cluster import RayOptions, import_ray, summarize_on_ray
    from kiku.config import load_config
    from kiku.output import open_output
    from kiku.runner import Outcome
    from kiku.summarizers import check_summarizer

    if args.strict:
        say("--strict stops at the first bad article; --ray records each failure and goes on: give one or the other")
        return EXIT_USAGE
    import_ray()  # the one-line install hint before anything else
    config = load_config(args.config, _overrides(args))
    summarizer = check_summarizer(args.summarizer or config.summary.summarizer)
    options = RayOptions(address=args.ray_address, actors=args.ray_actors)
    directory = args.output is not None and args.output != "-" and (args.format == "parquet" or not args.output.endswith((".txt", ".jsonl", ".json")))
    if directory:
        fmt = "parquet" if args.format == "parquet" or args.output.rstrip("/").endswith(".parquet") else "json"
        result = summarize_on_ray(args.inputs, config, summarizer, None, fmt, output_dir=args.output, options=options, report=say)
    else:
        if args.format == "parquet":
            say("--format parquet writes part files: give a folder with -o DIR")
            return EXIT_USAGE
        with open_output(args.output, out) as sink:
            result = summarize_on_ray(args.inputs, config, summarizer, sink, args.format, options=options, report=say)
            if not result.done:
                sink.discard()
    return Outcome(result.done, result.failed).exit_code


def _digest(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    say = _sayer(err)
    from kiku.digest import date_bound
    from kiku.output import open_output
    from kiku.render import DIGEST_FORMATS, guess_format

    fmt = guess_format(args.output, args.format, DIGEST_FORMATS, "md")
    kiku = _kiku(args)
    options = kiku.digest_options(
        title=args.title, sections=args.sections, points=args.points, max_articles=args.max_articles, bridges=args.bridges,
        since=date_bound("--since", args.since), until=date_bound("--until", args.until, end=True),
    )
    if options.bridges and kiku.summarizer.writer is None:
        say(f"--bridges: the {kiku.summarizer_name} summarizer writes no bridging lines; "
            "use the default transformer summarizer or --endpoint URL")
    with open_output(args.output, out) as sink:
        digest, outcome = kiku.digest_inputs(args.inputs, options, stdin=stdin, report=say, progress=err)
        if digest is None:
            sink.discard()
        else:
            sink.write(DIGEST_FORMATS[fmt](digest))
    return outcome.exit_code


def _sentences(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    say = _sayer(err)
    from kiku.config import load_config
    from kiku.output import open_output
    from kiku.runner import write_sentences, write_tokens

    settings = load_config(args.config, _overrides(args)).input
    with open_output(args.output, out) as sink:
        if args.command == "sentences":
            outcome = write_sentences(args.inputs, sink, settings, kinds=args.kinds, stdin=stdin, report=say)
        else:
            outcome = write_tokens(args.inputs, sink, settings, stdin=stdin, report=say)
        if not outcome.done:
            sink.discard()
    return outcome.exit_code


def _batch(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    say = _sayer(err)
    from pathlib import Path

    import sqlite3

    from kiku.batch import load_feeds
    from kiku.config import load_config
    from kiku.store import StoreDamaged
    from kiku.summarizers import check_summarizer

    if args.batch_command is None:
        say("batch: say run, retry, status or export (kiku batch --help)")
        return EXIT_USAGE
    config = load_config(args.config, _overrides(args))
    summarizer = check_summarizer(args.summarizer or config.summary.summarizer)
    feeds = load_feeds(args.feeds) if args.batch_command == "run" else []
    if args.batch_command in ("status", "export") and not Path(args.store).exists():
        say(f"{args.store}: no such store; kiku batch run creates it")
        return EXIT_USAGE
    try:
        return _batch_in(args, store_path=args.store, config=config, summarizer=summarizer, feeds=feeds, out=out, err=err)
    except StoreDamaged as exc:
        say(str(exc))
        return EXIT_NOTHING_DONE
    except sqlite3.DatabaseError as exc:
        # A page of the store damaged on disk: what was already written stays; nothing more can be.
        say(f"{args.store}: the store is damaged ({exc}); restore it from a copy, or start a new one with another --store")
        return EXIT_NOTHING_DONE


def _batch_in(args: argparse.Namespace, *, store_path: str, config, summarizer: str, feeds: list, out: IO[str], err: IO[str]) -> int:  # noqa: ANN001
    from pathlib import Path

    from kiku.batch import EXPORT_FORMATS, STATUS_FORMATS, Batch, export_summaries
    from kiku.output import open_output
    from kiku.store import Store, StoreLocked

    say = _sayer(err)
    with Store(store_path) as store:
        model = config.model.preset if summarizer == "transformer" else ""
        if args.batch_command == "status":
            status = store.status(summarizer, model, config.hash)
            with open_output(args.output, out) as sink:
                sink.write(STATUS_FORMATS[args.format or "text"](status, store.failures()))
            return EXIT_OK
        if args.batch_command == "export":
            assert args.format in EXPORT_FORMATS
            with open_output(args.output, out) as sink:
                for chunk in export_summaries(store, args.format):
                    sink.write(chunk)
            return EXIT_OK
        try:
            store.lock(args.wait)
        except StoreLocked as exc:
            say(str(exc))
            return EXIT_NOTHING_DONE
        progress = {"auto": None, "always": True, "never": False}[args.progress]
        batch = Batch(
            config, store, summarizer, workers=args.workers, warn=say,
            report_failure=lambda failure: say(failure.describe()),
            progress_stream=err, progress=progress,
        )
        if args.batch_command == "retry":
            report = batch.retry()
        else:
            digest_dir = Path(args.digest_dir) if args.digest_dir else None
            report = batch.run(feeds, digest_dir, args.digest_format, args.digest_max)
        say(report.line())
        return report.exit_code


def _eval(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    say = _sayer(err)
    from kiku.config import load_config
    from kiku.evaluate import EVAL_FORMATS, evaluate_files
    from kiku.output import open_output

    result = evaluate_files(
        args.data, args.summarizer, args.baseline, load_config(args.config, args.overrides),
        reference=args.reference, limit=args.limit, hide_title=args.hide_title, progress=say,
    )
    if args.json_file is not None:
        # The old form: the table on stdout and the JSON report in a file ('-': stdout).
        say("--json FILE is deprecated; use --format json [-o FILE]")
        if args.json_file == "-":
            print(EVAL_FORMATS["text"](result), file=err, end="")
            out.write(EVAL_FORMATS["json"](result))
            return EXIT_OK
        out.write(EVAL_FORMATS["text"](result))
        with open_output(args.json_file, out) as sink:
            sink.write(EVAL_FORMATS["json"](result))
        return EXIT_OK
    fmt = args.format
    if fmt == "json" and args.output is None:
        # The table still helps a person at a terminal; stdout stays pure JSON.
        print(EVAL_FORMATS["text"](result), file=err, end="")
    with open_output(args.output, out) as sink:
        sink.write(EVAL_FORMATS[fmt](result))
    return EXIT_OK


def _models(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    from kiku.config import load_config
    from kiku.models.presets import load_presets

    default = load_config().model.preset
    for name, preset in load_presets().items():
        mark = " (default)" if name == default else ""
        out.write(f"{name}{mark}\n  {preset.description}\n  kind: {preset.kind}, licence: {preset.licence}\n")
        out.write(f"  weights: {preset.source}\n")
        if preset.install:
            out.write(f"  install: {preset.install}\n")
    return EXIT_OK


def _info(args: argparse.Namespace, stdin: BinaryIO, out: IO[str], err: IO[str]) -> int:
    from kiku.text import versions

    for name, value in versions():
        out.write(f"{name:<13}{value}\n")
    return EXIT_OK


_COMMANDS = {
    "summarize": _summarize,
    "digest": _digest,
    "sentences": _sentences,
    "tokens": _sentences,
    "batch": _batch,
    "eval": _eval,
    "models": _models,
    "info": _info,
}


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
