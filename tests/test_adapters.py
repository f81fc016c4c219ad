"""The pandas and Hugging Face datasets adapters, and the guarded imports of the extras."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import newsnorm
from newsnorm import NormalizeConfig, Normalizer
from newsnorm.errors import ConfigError, InputTypeError

from .conftest import EXAMPLES, load_jsonl

# --- pandas ---------------------------------------------------------------------------


def test_normalize_series_matches_normalize(seeds: dict[str, dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    from newsnorm.pandas import normalize_series

    recs = list(seeds.values())
    frame = pd.DataFrame(recs).set_index("id")
    out = normalize_series(frame["text"], frame["published"], source=frame["source"])
    assert list(out.index) == list(frame.index) and out.name == "text"
    assert list(out) == [
        newsnorm.normalize(r["text"], published=r["published"], source=r["source"]).text
        for r in recs
    ]


def test_normalize_series_missing_values_and_timestamps() -> None:
    pd = pytest.importorskip("pandas")
    from newsnorm.pandas import normalize_series

    texts = pd.Series(["a\u00a0b", None, "c", float("nan")])
    published = pd.Series([pd.Timestamp("2017-07-11"), pd.NaT, None, dt.date(2017, 7, 11)])
    out = normalize_series(texts, published)
    assert out[0] == "a b" and pd.isna(out[1]) and out[2] == "c" and pd.isna(out[3])


def test_normalize_series_scalars_lists_and_errors() -> None:
    pd = pytest.importorskip("pandas")
    from newsnorm.pandas import normalize_series

    texts = pd.Series(["ok", 5])
    with pytest.raises(InputTypeError):
        normalize_series(texts)
    assert list(normalize_series(texts, on_error="keep")) == ["ok", 5]
    with pytest.raises(ConfigError, match="cannot skip"):
        normalize_series(texts, on_error="skip")
    with pytest.raises(ConfigError, match="index"):
        normalize_series(texts, pd.Series(["2017-07-11"] * 2, index=[5, 6]))
    with pytest.raises(ConfigError, match="values"):
        normalize_series(texts, ["2017-07-11"])
    out = normalize_series(["a\u00a0b"], "2017-07-11", source="TRT World")
    assert list(out) == ["a b"]
    config = NormalizeConfig(steps=())
    assert list(normalize_series(["a\u00a0b"], normalizer=Normalizer(config))) == ["a\u00a0b"]


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("newsnorm.pandas", "normalize_series", "newsnorm[pandas]"),
        ("newsnorm.dask", "normalize_bag", "newsnorm[dask]"),
    ],
)
def test_missing_extra_gives_a_clear_import_error(
    module: str, call: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    mod = importlib.import_module(module)
    real_import = builtins.__import__

    def no_extras(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".", maxsplit=1)[0] in ("pandas", "dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extras)
    with pytest.raises(ImportError, match=extra.replace("[", r"\[").replace("]", r"\]")):
        getattr(mod, call)([])


def test_importing_newsnorm_does_not_import_the_extras() -> None:
    code = (
        "import sys, newsnorm, newsnorm.pandas, newsnorm.dask, newsnorm.cli\n"
        "heavy = [m for m in ('pandas', 'dask', 'datasets', 'IPython') if m in sys.modules]\n"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- Hugging Face datasets ------------------------------------------------------------

HASH_SCRIPT = """
import newsnorm
from datasets.fingerprint import Hasher
norm = newsnorm.Normalizer(newsnorm.NormalizeConfig(steps={steps!r}))
print(Hasher.hash(norm.map_batch), Hasher.hash(norm))
"""


def test_normalizer_hashes_stably_for_the_datasets_cache() -> None:
    pytest.importorskip("datasets")
    from datasets.fingerprint import Hasher

    steps = tuple(newsnorm.STEPS)
    one = Normalizer(NormalizeConfig(steps=steps))
    two = Normalizer(NormalizeConfig(steps=steps))
    assert Hasher.hash(one.map_batch) == Hasher.hash(two.map_batch)
    other = Normalizer(NormalizeConfig(steps=()))
    assert Hasher.hash(other.map_batch) != Hasher.hash(one.map_batch)
    # The same hash in a fresh interpreter: the cache survives restarts.
    done = subprocess.run(
        [sys.executable, "-c", HASH_SCRIPT.format(steps=steps)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [Hasher.hash(one.map_batch), Hasher.hash(one)]


def test_dataset_map_batched_with_workers_and_cache(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    recs = load_jsonl(EXAMPLES)
    data = tmp_path / "articles.jsonl"
    data.write_text(
        "".join(json.dumps(r) + "\n" for r in recs * 4),
        encoding="utf-8",
    )
    ds = datasets.load_dataset(
        "json", data_files=str(data), split="train", cache_dir=str(tmp_path / "cache")
    )
    norm = Normalizer()
    out = ds.map(norm.map_batch, batched=True, batch_size=3, num_proc=2)
    assert out["text"] == [
        norm.normalize(r["text"], published=r["published"], source=r["source"]).text
        for r in recs * 4
    ]
    assert out["id"] == [r["id"] for r in recs * 4]
    assert {"entities", "dates", "captions"} == set(json.loads(out["newsnorm"][0]))
    # A second map with an equal normalizer is served from the cache.
    again = ds.map(Normalizer().map_batch, batched=True, batch_size=3, num_proc=2)
    assert again._fingerprint == out._fingerprint
    assert [f["filename"] for f in again.cache_files] == [f["filename"] for f in out.cache_files]


def test_documented_spark_functions_follow_sparks_contracts() -> None:
    import importlib.util

    pd = pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location(
        "example_spark_job", EXAMPLES.parent / "spark_job.py"
    )
    assert spec is not None and spec.loader is not None
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    lines = [*EXAMPLES.read_text(encoding="utf-8").splitlines(), "not json", '{"text": 3}']
    # mapPartitions: an iterator in, an iterator out (lazy), same number of lines.
    out = job.normalize_lines(iter(lines))
    assert iter(out) is out
    records = [json.loads(line) for line in out]
    assert len(records) == len(lines)  # every line comes out, even one that is not JSON
    assert records[-2]["newsnorm"]["error"]["input"] == "not json"
    assert records[-1]["newsnorm"]["error"]["type"] == "InputTypeError"
    recs = load_jsonl(EXAMPLES)
    assert [r["text"] for r in records[: len(recs)]] == [
        newsnorm.normalize(r["text"], published=r["published"], source=r["source"]).text
        for r in recs
    ]
    # pandas_udf: Series in, Series of the same length out.
    frame = pd.DataFrame(recs)
    texts = job.normalize_text_column(frame["text"], frame["published"])
    assert len(texts) == len(frame) and list(texts) == [r["text"] for r in records[: len(recs)]]


def test_dataset_map_skip_drops_failed_rows_and_keep_marks_them() -> None:
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    ds = datasets.Dataset.from_dict(
        {"body": ["a\u00a0b", "c", "d"], "day": ["2017-07-11", "2017-02-30", None]}
    )
    norm = Normalizer()
    kwargs = {"text_field": "body", "date_field": "day"}
    skipped = ds.map(norm.map_batch, batched=True, fn_kwargs={**kwargs, "on_error": "skip"})
    assert skipped["body"] == [norm.normalize("a\u00a0b").text, norm.normalize("d").text]
    assert len(ds) - len(skipped) == 1
    kept = ds.map(norm.map_batch, batched=True, fn_kwargs={**kwargs, "on_error": "keep"})
    assert kept["body"][1] == "c"
    assert json.loads(kept["newsnorm"][1])["error"]["type"] == "InvalidDateError"
