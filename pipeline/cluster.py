"""``kiku summarize --ray``: the same summaries, computed by a Ray cluster.

A Ray Data pipeline over files — JSON lines (gzipped or not), Parquet, or any file ``kiku
summarize`` reads — local or on any filesystem pyarrow reads (``s3://``, ``gs://``,
``hdfs://``; on a cluster of several machines every node must reach the paths):

1. The driver lists the inputs (folders recursively, in path order, as ``kiku summarize``
   does) and Ray reads each file's bytes on the cluster.
2. Each file is parsed by the same reader as a local run (:meth:`kiku.ingest.Reader.read_data`):
   the same ids, dates and failures.
3. Duplicates (the same canonical URL or the same text) are dropped across all inputs, the
   first kept, as a local run does: the driver sees only each article's keys, never its text.
4. ``map_batches`` sends the articles through a pool of actors, each of which builds
   :class:`kiku.runner.Kiku` — the tagger and the summarizer with its model — once. An actor
   takes one GPU when the cluster has them and the model runs on a GPU; on CPUs a model's
   actor takes ``model.threads`` cores (2 when unset), an extractive actor one.
5. Records are the ones ``kiku summarize --format json`` writes, line for line. With ``-o
   DIR`` they are written by the cluster as part files (JSON lines, or Parquet when DIR ends
   in ``.parquet`` or ``--format parquet`` is given); an article that failed is a record too
   (``id``, ``origin``, ``stage``, ``error``). Without ``-o`` they come to standard output in
   input order, failures on standard error, as a local run writes them.

Ray is an optional extra (``pip install -e ".[ray]"``); nothing here imports it at module load.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kiku.config import Config
from kiku.errors import ConfigError
from kiku.render import record_text
from kiku.types import Article, Failure, Summary

log = logging.getLogger(__name__)

INSTALL = 'pip install -e ".[ray]"'
#: Articles per actor call: enough for a model's batches, small enough to spread the work.
ROWS_PER_CALL = 64
#: Formats of records: to standard output (text, json) or as part files (json, parquet).
FORMATS = ("text", "json", "parquet")

Report = Callable[[str], None]


def import_ray() -> Any:
    """The ``ray`` module with Ray Data, or a one-line error naming the install command."""
    _quiet_env()
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data is the part Kiku uses
    except ImportError:
        raise ConfigError(f"--ray needs Ray, an optional extra: {INSTALL}") from None
    return ray


@dataclass(frozen=True, slots=True)
class RayOptions:
    #: A running cluster to join (``ray start --head`` prints it); None starts a local one.
    address: str | None = None
    #: Actors in the pool; None: from the cluster's resources.
    actors: int | None = None


@dataclass(frozen=True, slots=True)
class RayOutcome:
    done: int
    failed: int
    actors: int


# -- the driver's side ---------------------------------------------------------------------------


def list_files(inputs: list[str]) -> tuple[list[tuple[str, str]], list[Failure], Any]:
    """``(path as the filesystem names it, name as given)`` for each file to read, in order,
    the inputs that could not be listed, and the filesystem (all inputs on one)."""
    import pyarrow.fs as pafs

    from kiku.ingest import readable

    files: list[tuple[str, str]] = []
    failures: list[Failure] = []
    filesystem = None
    for name in inputs:
        if name == "-" or re.match(r"^https?://", name):
            raise ConfigError(f"{name}: --ray reads files and folders (local, s3://, gs://, hdfs://, …); give standard input and URLs without --ray")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name):
            fs, path = pafs.FileSystem.from_uri(name)
        else:
            fs, path = pafs.LocalFileSystem(), str(Path(name).expanduser().resolve())
        if filesystem is not None and fs.type_name != filesystem.type_name:
            raise ConfigError(f"{name}: with --ray every input must be on one filesystem ({filesystem.type_name} and {fs.type_name} given)")
        filesystem = fs
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            failures.append(Failure(name, "read", "file not found; check the path"))
        elif info.type == pafs.FileType.Directory:
            found = sorted(i.path for i in fs.get_file_info(pafs.FileSelector(path, recursive=True)) if i.type == pafs.FileType.File and readable(i.path))
            if not found:
                failures.append(Failure(name, "read", "folder holds no .txt, .json, .jsonl, .html, .parquet or feed files; nothing to read"))
            files += [(p, _shown(name, path, p)) for p in found]
        else:
            files.append((path, name))
    return files, failures, filesystem


def _shown(name: str, root: str, path: str) -> str:
    """A file found in folder ``name`` as a local run names it: the folder as given, then the
    path inside it."""
    inside = path[len(root) :].lstrip("/")
    return f"{name.rstrip('/')}/{inside}" if inside else name


def pool_shape(config: Config, summarizer: str, resources: dict[str, float], actors: int | None) -> tuple[int, dict[str, float]]:
    """How many actors, and what each takes: a GPU each when the cluster has GPUs and a local
    model would use one; ``model.threads`` cores (2 when unset) for a local model on CPUs; one
    core otherwise (extractive, lead3, a model on a server)."""
    cpus = max(1, int(resources.get("CPU", 1)))
    gpus = int(resources.get("GPU", 0))
    local_model = summarizer == "transformer" and not config.model.endpoint
    # Never more actors than the cluster can place at once: the pool would wait for the rest.
    if local_model and gpus and config.model.device != "cpu":
        return min(actors or gpus, gpus), {"num_gpus": 1, "num_cpus": 1}
    if local_model:
        per_actor = config.model.threads or min(2, cpus)
        if actors:
            # Asked for more actors than that fits: each gets fewer cores.
            per_actor = max(1, min(per_actor, cpus // actors))
        return min(actors or cpus // per_actor, cpus // per_actor) or 1, {"num_cpus": per_actor}
    return min(actors or cpus, cpus), {"num_cpus": 1}


def summarize_on_ray(
    inputs: list[str],
    config: Config,
    summarizer: str,
    sink: IO[str] | None,
    fmt: str,
    *,
    output_dir: str | None = None,
    options: RayOptions = RayOptions(),
    report: Report = lambda message: None,
) -> RayOutcome:
    """Summarise every article of ``inputs`` on a Ray cluster. Records go to ``sink`` (``fmt``
    text or json), or to part files in ``output_dir`` (``fmt`` json or parquet). Failures and
    notes go to ``report``."""
    ray = import_ray()
    files, failures, filesystem = list_files(inputs)
    for failure in failures:
        report(failure.describe())
    failed = len(failures)
    #: Inputs and records that failed before summarising, as records for part files.
    early = [_failure_row(f.origin, f.stage, f.message, f.article_id, f.describe()) for f in failures]
    if not files:
        if output_dir is not None and early:
            _start(ray, options.address)
            _write_parts(ray.data.from_items(early), output_dir, fmt, None)
        return RayOutcome(0, failed, 0)
    _start(ray, options.address)
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    # Records in input order, as a local run writes them (part files in order, too).
    context.execution_options.preserve_order = True
    shown = {path: name for path, name in files}
    raw = ray.data.read_binary_files([p for p, _ in files], include_paths=True, filesystem=filesystem)
    parsed = raw.flat_map(_ParseFile(config, shown)).materialize()
    # One pass over every row's small columns (never an article's text): failures and
    # warnings in input order, then the duplicates.
    keys = ["kind", "file", "item", "origin", "id", "stage", "error", "message", "url_key", "text_key"]
    rows = sorted(parsed.select_columns(keys).iter_rows(), key=lambda r: (r["file"], r["item"] < 0, abs(r["item"])))
    for row in rows:
        if row["kind"] == "failure":
            failed += 1
            early.append(_failure_row(row["origin"], row["stage"], row["error"], row["id"], row["message"]))
        if row["kind"] != "article":
            report(row["message"])
    dropped = _duplicates([r for r in rows if r["kind"] == "article"], report)
    total = sum(r["kind"] == "article" for r in rows) - len(dropped)
    articles = parsed.filter(lambda r: r["kind"] == "article" and (r["file"], r["item"]) not in dropped)
    actors, resources = pool_shape(config, summarizer, ray.cluster_resources(), options.actors)
    actors = max(1, min(actors, -(-total // ROWS_PER_CALL) if total else 1))
    if not total:
        if output_dir is not None and early:
            _write_parts(ray.data.from_items(early), output_dir, fmt, filesystem if "://" in output_dir else None)
        return RayOutcome(0, failed, 0)
    # Blocks small enough that every actor gets work, and whole batches for a model.
    # Materialised before the actors start: an actor pool that holds every core would leave
    # none for the tasks that feed it.
    articles = articles.repartition(max(actors * 4, -(-total // (ROWS_PER_CALL * 4)))).materialize()
    results = articles.map_batches(
        _summarize_class(config, summarizer),
        batch_size=ROWS_PER_CALL,
        compute=ray.data.ActorPoolStrategy(size=actors),
        batch_format="pyarrow",
        **resources,
    )
    if output_dir is not None:
        results = results.materialize()
        written = results.union(ray.data.from_items(early)) if early else results
        _write_parts(written, output_dir, fmt, filesystem if "://" in output_dir else None)
        done = 0
        for row in results.select_columns(["failed", "message"]).iter_rows():
            if row["failed"]:
                failed += 1
                report(row["message"])
            else:
                done += 1
        return RayOutcome(done, failed, actors)
    done = 0
    for row in results.iter_rows():
        if row["failed"]:
            failed += 1
            report(row["message"])
            continue
        for note in json.loads(row["notes"]):
            report(f"{row['origin']}: {note}")
        record = row["json"]
        if fmt == "text":
            sink.write(("\n" if done else "") + record_text(json.loads(record)))
        else:
            sink.write(record + "\n")
        sink.flush()
        done += 1
    return RayOutcome(done, failed, actors)


def _start(ray: Any, address: str | None, num_cpus: int | None = None) -> None:
    """Join the cluster at ``address``, or start a local one for this run (with ``num_cpus``
    cores, default all)."""
    if ray.is_initialized():
        return
    _quiet_env()
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"ray\.")
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
    if address and address != "auto":
        _reachable(address)
    try:
        with _quiet_fd2():
            if address:
                ray.init(address=address, **kwargs)
            else:
                ray.init(num_cpus=num_cpus, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        cause = f"{exc} {exc.__cause__ or ''}"
        hint = ""
        if "uthenticat" in cause or "auth" in cause.lower():
            hint = (
                "; the cluster uses token authentication (ray start's default): run with "
                "RAY_AUTH_MODE=token and the cluster's token in ~/.ray/auth_token or $RAY_AUTH_TOKEN"
            )
        raise ConfigError(f"--ray: could not start or join {where} ({exc}){hint}") from None


def _reachable(address: str) -> None:
    """A usage error at once when nothing answers at ``address`` (Ray itself retries for
    minutes)."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=5):
            pass
    except (OSError, ValueError) as exc:
        raise ConfigError(f"--ray-address {address}: nothing answers there ({exc}); give the address ray start --head printed (host:port)") from None


def _quiet_env() -> None:
    """Ray's progress lines and notices would bury Kiku's messages on stderr: errors only
    (an environment that sets these keeps its own)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
    # The core worker's C++ notices (an actor's restart policy) are not for an editor.
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")


@contextlib.contextmanager
def _quiet_fd2() -> Iterator[None]:
    """Standard error closed at the file-descriptor level while Ray's core starts: it writes
    its start-up notices there directly (its errors reach Python as exceptions)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _duplicates(rows: list[dict[str, Any]], report: Report) -> set[tuple[int, int]]:
    """The (file, item) of every article that repeats an earlier one, reported as a local run
    reports it (:class:`kiku.ingest.Duplicates`)."""
    from kiku.ingest import Duplicates

    seen = Duplicates(report)
    dropped = {
        (row["file"], row["item"])
        for row in sorted(rows, key=lambda r: (r["file"], r["item"]))
        if seen.repeats(row["origin"], row["url_key"] or None, row["text_key"])
    }
    seen.report()
    return dropped


def _write_parts(results: Any, output_dir: str, fmt: str, filesystem: Any) -> None:
    """Part files in ``output_dir``. A local folder is written beside it and renamed into
    place when complete, so a failed run leaves no half-written folder (an existing one must
    be empty)."""
    if filesystem is not None or "://" in output_dir:
        _write(results, output_dir, fmt, filesystem)
        return
    target = Path(output_dir)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConfigError(f"-o {output_dir}: exists and is not an empty folder; give a new folder for the part files")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _write(results, str(tmp), fmt, None)
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write(results: Any, path: str, fmt: str, filesystem: Any) -> None:
    if fmt == "parquet":
        results.map_batches(_parquet_rows, batch_format="pyarrow").write_parquet(path, filesystem=filesystem)
    else:
        results.write_datasink(_json_lines_sink(path, filesystem))


def _json_lines_sink(path: str, filesystem: Any) -> Any:
    from ray.data.datasource import BlockBasedFileDatasink

    class JsonLines(BlockBasedFileDatasink):
        """Each block as JSON lines: the records exactly as ``kiku summarize`` writes them."""

        def write_block_to_file(self, block: Any, file: Any) -> None:
            lines = block.to_arrow().column("json").to_pylist()
            file.write("".join(line + "\n" for line in lines).encode("utf-8"))

    return JsonLines(path, file_format="jsonl", filesystem=filesystem)


def _parquet_rows(table: Any) -> Any:
    """The records as Parquet rows with one schema for every part file (a bullet's optional
    fields are null when absent; the config is its JSON text)."""
    import pyarrow as pa

    rows = [_flat(json.loads(line)) for line in table.column("json").to_pylist()]
    return pa.Table.from_pylist(rows, schema=parquet_schema())


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    out = {name: record.get(name) for name in parquet_schema().names}
    if "bullets" in record:
        out["bullets"] = [{**b, "replaced": b.get("replaced"), "over_length": bool(b.get("over_length"))} for b in record["bullets"]]
    out["config"] = json.dumps(record["config"], ensure_ascii=False) if record.get("config") else None
    return out


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    bullet = pa.struct([
        ("text", text), ("sources", pa.list_(pa.int64())), ("source_text", pa.list_(text)), ("written_by", text),
        ("replaced", pa.struct([("model_text", text), ("reason", text)])), ("over_length", pa.bool_()),
    ])
    fields = [(name, text) for name in ("id", "title", "url", "published", "source")]
    fields += [("bullets", pa.list_(bullet)), ("notes", pa.list_(text))]
    fields += [(name, text) for name in ("summarizer", "model", "device", "endpoint", "kiku_version", "config_hash", "config")]
    fields += [(name, text) for name in ("origin", "stage", "error")]
    return pa.schema(fields)


def _failure_row(origin: str, stage: str, error: str, article_id: str | None, message: str) -> dict[str, Any]:
    """A failure as a row of the results: its record is ``id``, ``origin``, ``stage``, ``error``."""
    record = {"id": article_id, "origin": origin, "stage": stage, "error": error}
    return {
        "file": -1, "item": -1, "origin": origin, "failed": True, "message": message, "notes": "[]",
        "json": json.dumps(record, ensure_ascii=False),
    }


# -- the workers' side ---------------------------------------------------------------------------


class _ParseFile:
    """One file's bytes into rows: an article (its fields, its place in the input order and its
    duplicate keys), a failure, or a warning."""

    def __init__(self, config: Config, shown: dict[str, str]) -> None:
        self.config = config
        self.shown = shown
        self.order = {path: n for n, path in enumerate(shown)}

    def __call__(self, row: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from kiku.ingest import Reader, duplicate_keys

        path = row["path"]
        name = self.shown.get(path, path)
        warnings: list[str] = []
        reader = Reader(self.config.input, warnings.append)
        empty = {
            "id": None, "body": None, "title": None, "url": None, "published": None, "source": None,
            "url_key": None, "text_key": None, "stage": None, "error": None,
        }
        item = 0
        for result in reader.read_data(row["bytes"], name, path):
            item += 1
            base = {"file": self.order.get(path, 0), "item": item}
            if isinstance(result, Failure):
                yield {
                    **base, **empty, "kind": "failure", "origin": result.origin, "message": result.describe(),
                    "id": result.article_id, "stage": result.stage, "error": result.message,
                }
                continue
            article = reader.admit(result)
            url_key, text_key = duplicate_keys(article)
            yield {
                **base, **empty, "kind": "article", "origin": article.origin, "message": None,
                "id": article.id, "body": article.body, "title": article.title, "url": article.url,
                "published": article.published.isoformat() if article.published else None, "source": article.source,
                "url_key": url_key, "text_key": text_key,
            }
        for n, message in enumerate(warnings):
            yield {"file": self.order.get(path, 0), "item": -1 - n, **empty, "kind": "warning", "origin": name, "message": message}


def _summarize_class(config: Config, summarizer: str) -> type:
    """The actor class, with the run's config inside it (small: it travels with the class)."""

    class Summarize(_Summarize):
        def __init__(self) -> None:
            super().__init__(config, summarizer)

    return Summarize


class _Summarize:
    """An actor: Kiku built once (the model loaded once), then batches of articles."""

    def __init__(self, config: Config, summarizer: str) -> None:
        from kiku.runner import Kiku

        self.kiku = Kiku(config, summarizer)
        self.config = config

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from kiku.render import summary_json

        rows = batch.to_pylist()
        articles = [
            Article(
                id=r["id"], body=r["body"], title=r["title"], url=r["url"], source=r["source"], origin=r["origin"],
                published=datetime.fromisoformat(r["published"]) if r["published"] else None,
            )
            for r in rows
        ]
        out: dict[str, list[Any]] = {"file": [], "item": [], "origin": [], "failed": [], "message": [], "notes": [], "json": []}
        for row, result in zip(rows, self.kiku.run(articles)):
            out["file"].append(row["file"])
            out["item"].append(row["item"])
            out["origin"].append(row["origin"])
            if isinstance(result, Summary):
                out["failed"].append(False)
                out["message"].append(None)
                out["notes"].append(json.dumps(list(result.notes), ensure_ascii=False))
                out["json"].append(summary_json(result, self.config).rstrip("\n"))
            else:
                failure = _failure_row(result.origin, result.stage, result.message, result.article_id, result.describe())
                for key in ("failed", "message", "notes", "json"):
                    out[key].append(failure[key])
        return pa.table(out)
