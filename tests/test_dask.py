"""A real distributed run: a LocalCluster with two worker processes, started and stopped here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsnorm import BatchReport, Normalizer

from .conftest import DEV_CASES, EXAMPLES, load_jsonl

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

from newsnorm.dask import normalize_bag, read_jsonl  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    import dask

    # A loaded machine (CI shares two cores) can make worker start-up slow: generous
    # connect timeouts keep the test about correctness, not about start-up latency.
    with dask.config.set(
        {"distributed.comm.timeouts.connect": "120s", "distributed.comm.timeouts.tcp": "120s"}
    ):
        cluster = distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        )
        client = distributed.Client(cluster, timeout="120s")
        try:
            yield client
        finally:
            client.close()
            cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, the dev pages as records (when the dev data is there; otherwise the seeds
    again, paragraphs rotated), and some bad lines, as one JSONL file."""
    seeds = load_jsonl(EXAMPLES)
    lines = [json.dumps(r, ensure_ascii=False) for r in seeds]
    if DEV_CASES.exists():
        texts = [case["dirty"] for case in load_jsonl(DEV_CASES)]
    else:
        texts = []
        for turn in range(1, 20):
            for rec in seeds:
                paras = rec["text"].split("\n")
                texts.append("\n".join(paras[turn % len(paras) :] + paras[: turn % len(paras)]))
    lines += [
        json.dumps({"id": f"dev-{i}", "text": text}, ensure_ascii=False)
        for i, text in enumerate(texts)
    ]
    bad_date = json.dumps({"id": "bad-date", "text": "x", "published": "2017-02-30"})
    lines[7:7] = ["not json", bad_date]
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _single_process(corpus: Path, on_error: str) -> tuple[list[dict[str, Any]], BatchReport]:
    report = BatchReport()
    lines = corpus.read_text(encoding="utf-8").splitlines()
    out = list(Normalizer().map_partition(lines, on_error=on_error, report=report))  # type: ignore[arg-type]
    return out, report


@pytest.mark.parametrize("on_error", ["skip", "keep"])
def test_cluster_output_equals_single_process(client: Any, corpus: Path, on_error: str) -> None:
    expected, report = _single_process(corpus, on_error)
    bag = read_jsonl(str(corpus), blocksize=200_000)
    assert bag.npartitions >= 2
    result = normalize_bag(bag, on_error=on_error)  # type: ignore[arg-type]
    records, errors = result.compute()
    assert records == expected
    assert [(e["id"], e["error"], e["kept"]) for e in errors] == [
        (f.id, f.error, f.kept) for f in report.failures
    ]
    # The cluster really has two worker processes, and every record is accounted for.
    assert len(client.scheduler_info()["workers"]) == 2
    assert report.records_in == len(records) + sum(not e["kept"] for e in errors)


def test_bag_of_records_and_explain(client: Any) -> None:
    recs = load_jsonl(EXAMPLES)
    bag = db.from_sequence(recs, npartitions=2)
    records, errors = normalize_bag(bag, Normalizer(), explain=True).compute()
    assert errors == []
    assert records == list(Normalizer().map_partition(recs, explain=True))


def test_raise_fails_the_computation(client: Any) -> None:
    bag = db.from_sequence([{"text": 1}], npartitions=1)
    with pytest.raises(TypeError, match=r"field 'text' must be str"):
        normalize_bag(bag, on_error="raise").compute()


def _load_example(name: str) -> Any:
    import importlib.util

    path = EXAMPLES.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_documented_dask_job_runs(client: Any, corpus: Path, tmp_path: Path) -> None:
    job = _load_example("dask_job")
    info = job.run(client, str(corpus), str(tmp_path / "out"), blocksize="200KB")
    assert info["workers"] == 2 and info["partitions"] >= 2
    parts = sorted((tmp_path / "out").glob("part-*.jsonl"), key=lambda p: int(p.stem[5:]))
    records = [json.loads(line) for part in parts for line in part.read_text("utf-8").splitlines()]
    expected, report = _single_process(corpus, "skip")
    assert records == expected
    failed = [
        json.loads(line)
        for part in (tmp_path / "out").glob("errors-*.jsonl")
        for line in part.read_text("utf-8").splitlines()
    ]
    assert len(failed) == report.skipped


def test_each_worker_compiles_the_normalizer_once(client: Any, corpus: Path) -> None:
    # The helpers run on the workers; defined here, cloudpickle ships them by value
    # (the workers cannot import this test module).
    def _count_compiles() -> None:
        """Run on each worker: count Normalizer constructions in this worker process."""
        from newsnorm import _pipeline

        original = _pipeline.Normalizer.__init__
        counter = {"n": 0}

        def counting(self: Any, config: Any = None) -> None:
            counter["n"] += 1
            original(self, config)

        _pipeline.Normalizer.__init__ = counting  # type: ignore[method-assign]
        _pipeline._test_compile_counter = (counter, original)  # type: ignore[attr-defined]

    def _compiles() -> int:
        """Run on each worker: the count, and the patch undone."""
        from newsnorm import _pipeline

        counter, original = _pipeline._test_compile_counter  # type: ignore[attr-defined]
        _pipeline.Normalizer.__init__ = original  # type: ignore[method-assign]
        del _pipeline._test_compile_counter  # type: ignore[attr-defined]
        return int(counter["n"])

    bag = read_jsonl(str(corpus), blocksize=50_000)
    assert bag.npartitions >= 6
    client.run(_count_compiles)
    try:
        normalize_bag(bag).compute()
    finally:
        counts = client.run(_compiles)
    assert sum(counts.values()) >= 1
    assert all(n <= 1 for n in counts.values()), counts
