"""``kiku summarize --ray``: a local Ray cluster (2 CPUs) gives the records one process gives."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
import sys

import pytest

from kiku.cli import main
from tests.conftest import EXAMPLES, ROOT

ray = pytest.importorskip("ray", reason='Ray is the optional extra: pip install -e ".[ray]"')


@pytest.fixture(scope="module")
def cluster():
    from kiku.cluster import _start

    _start(ray, None, num_cpus=2)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The examples, as files of every kind --ray reads: plain and gzipped JSON lines, Parquet,
    text; with a duplicate article and a line that is not JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("corpus")
    shutil.copy(EXAMPLES / "wikinews-typhoon.txt", root / "a-typhoon.txt")
    livedoor = (EXAMPLES / "livedoor.jsonl").read_text(encoding="utf-8")
    with gzip.open(root / "b-livedoor.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(livedoor)
    rows = [json.loads(line) for line in (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), root / "c-wikinews.parquet")
    first = livedoor.splitlines()[0]
    (root / "d-more.jsonl").write_text(first + "\n{not json\n", encoding="utf-8")
    return root


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_same_records_as_one_process(cluster, corpus):
    one = _run("summarize", "--summarizer", "extractive", "--format", "json", str(corpus))
    on_ray = _run("summarize", "--summarizer", "extractive", "--format", "json", "--ray", str(corpus))
    assert one[0] == on_ray[0] == 1  # the line that is not JSON
    assert on_ray[1] == one[1]  # record for record, in input order
    assert len(one[1].splitlines()) == 6
    assert sorted(on_ray[2].splitlines()) == sorted(one[2].splitlines())  # the same failures, duplicates and notes
    assert "skipped as a duplicate" in on_ray[2] and "d-more.jsonl:2: line is not valid JSON" in on_ray[2]


def test_text_format(cluster, corpus):
    one = _run("summarize", "--summarizer", "extractive", str(corpus))
    on_ray = _run("summarize", "--summarizer", "extractive", "--ray", "--ray-actors", "1", str(corpus))
    assert on_ray[1] == one[1] and "✅" in one[1]


def test_part_files(cluster, corpus, tmp_path):
    import pyarrow.parquet as pq

    one = _run("summarize", "--summarizer", "extractive", "--format", "json", str(corpus))
    code, out, err = _run("summarize", "--summarizer", "extractive", "--ray", str(corpus), "-o", str(tmp_path / "parts"))
    assert code == 1 and out == ""
    lines = [line for part in sorted((tmp_path / "parts").glob("*.jsonl")) for line in part.read_text(encoding="utf-8").splitlines()]
    failures = [json.loads(line) for line in lines if "error" in json.loads(line)]
    assert [f["stage"] for f in failures] == ["parse"] and failures[0]["origin"].endswith("d-more.jsonl:2")
    assert set(lines) - {json.dumps(f, ensure_ascii=False) for f in failures} == set(one[1].splitlines())
    code, _, err = _run("summarize", "--summarizer", "extractive", "--ray", str(corpus), "-o", str(tmp_path / "parts"))
    assert code == 2 and "not an empty folder" in err
    code, _, _ = _run("summarize", "--summarizer", "extractive", "--ray", str(corpus), "-o", str(tmp_path / "out.parquet"))
    table = pq.read_table(tmp_path / "out.parquet")
    records = [r for r in table.to_pylist() if r["error"] is None]
    expected = [json.loads(line) for line in one[1].splitlines()]
    assert sorted(r["id"] for r in records) == sorted(r["id"] for r in expected)
    by_id = {r["id"]: r for r in records}
    for record in expected:
        assert [b["text"] for b in by_id[record["id"]]["bullets"]] == [b["text"] for b in record["bullets"]]
        assert json.loads(by_id[record["id"]]["config"]) == record["config"]


def test_tiny_model_on_ray(cluster, tiny):
    """The model path on the cluster: each actor loads the model once; the records are the
    ones one process writes."""
    args = ["summarize", "--summarizer", "transformer", "--model", str(tiny["causal"]), "--device", "cpu", "--format", "json", str(EXAMPLES)]
    one = _run(*args)
    on_ray = _run(*args, "--ray")
    assert one[0] == on_ray[0] == 0, on_ray[2]
    assert on_ray[1] == one[1]
    assert {json.loads(line)["device"] for line in on_ray[1].splitlines()} == {"cpu, int8"}


def test_missing_inputs_and_urls(cluster, corpus):
    code, out, err = _run("summarize", "--summarizer", "extractive", "--ray", str(corpus / "a-typhoon.txt"), str(corpus / "nothing.jsonl"))
    assert code == 1 and out.count("✅") == 2 and "nothing.jsonl: file not found" in err
    code, _, err = _run("summarize", "--summarizer", "extractive", "--ray", "https://example.jp/rss.xml")
    assert code == 2 and "give standard input and URLs without --ray" in err
    code, _, err = _run("summarize", "--summarizer", "extractive", "--ray", "--strict", str(corpus))
    assert code == 2


def test_without_ray_installed_one_line():
    """--ray without Ray installed is one line naming the install."""
    script = (
        "import sys; sys.modules['ray'] = None\n"
        "from kiku.cli import main\n"
        "code = main(['summarize', '--ray', '--summarizer', 'extractive', 'x.jsonl'])\n"
        "print(code)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "2"
    assert run.stderr.strip().splitlines() == ['kiku: --ray needs Ray, an optional extra: pip install -e ".[ray]"']
    # that --help imports no Ray: tests/test_cli.py::test_help_does_not_import_torch_or_the_tagger


def test_pool_shape_fits_the_cluster():
    from kiku.cluster import pool_shape
    from kiku.config import load_config

    config = load_config()
    assert pool_shape(config, "extractive", {"CPU": 8.0}, None) == (8, {"num_cpus": 1})
    assert pool_shape(config, "extractive", {"CPU": 2.0}, 5) == (2, {"num_cpus": 1})
    assert pool_shape(config, "transformer", {"CPU": 8.0}, None) == (4, {"num_cpus": 2})
    assert pool_shape(config, "transformer", {"CPU": 2.0}, 2) == (2, {"num_cpus": 1})
    assert pool_shape(config, "transformer", {"CPU": 2.0}, 3) == (2, {"num_cpus": 1})
    assert pool_shape(config, "transformer", {"CPU": 16.0, "GPU": 2.0}, None) == (2, {"num_gpus": 1, "num_cpus": 1})
    served = load_config((), ['model.endpoint="http://127.0.0.1:8000/v1"'])
    assert pool_shape(served, "transformer", {"CPU": 4.0, "GPU": 1.0}, None) == (4, {"num_cpus": 1})


def test_an_address_where_nothing_answers_is_refused_at_once():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = subprocess.run(
        [sys.executable, "-m", "kiku", "summarize", "--summarizer", "extractive", "--ray-address", f"127.0.0.1:{port}", str(EXAMPLES)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        f"kiku: --ray-address 127.0.0.1:{port}: nothing answers there ([Errno 111] Connection refused); give the address ray start --head printed (host:port)"
    ]
