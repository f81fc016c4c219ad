"""Normalise JSONL files on a Dask cluster: one machine or many.

Run it against a cluster that is already up (``dask scheduler`` on one machine,
``dask worker tcp://SCHEDULER:8786`` on each of the others)::

    python examples/dask_job.py "s3://bucket/news/*.jsonl" out/ --scheduler tcp://SCHEDULER:8786

or, with no ``--scheduler``, on a local cluster of two worker processes::

    python examples/dask_job.py examples/articles.jsonl out/

Every worker needs newsnorm installed (``pip install 'newsnorm[dask]'``) and must be
able to read the inputs and write the output directory (a shared file system or an
object store: paths are fsspec URLs).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import dask.bag as db  # noqa: F401  (the bag API this job uses)
from distributed import Client, LocalCluster

import newsnorm
from newsnorm.dask import normalize_bag, read_jsonl


def run(client: Client, inputs: str, output: str, *, blocksize: str = "64MiB") -> dict[str, Any]:
    """Normalise ``inputs`` into ``output``/part-*.jsonl and ``output``/errors-*.jsonl."""
    lines = read_jsonl(inputs, blocksize=blocksize)
    result = normalize_bag(lines, newsnorm.Normalizer(), on_error="skip")
    records = result.records.map(lambda rec: json.dumps(rec, ensure_ascii=False))
    errors = result.errors.map(json.dumps)
    written = records.to_textfiles(f"{output}/part-*.jsonl", compute=False)
    failed = errors.to_textfiles(f"{output}/errors-*.jsonl", compute=False)
    client.compute([*written, *failed], sync=True)
    return {"workers": len(client.scheduler_info()["workers"]), "partitions": lines.npartitions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", help="JSONL path, glob or URL")
    parser.add_argument("output", help="output directory (path or URL)")
    parser.add_argument("--scheduler", help="address of a running scheduler (default: local)")
    args = parser.parse_args()
    if args.scheduler:
        with Client(args.scheduler) as client:
            print(run(client, args.inputs, args.output))
    else:
        with (
            LocalCluster(n_workers=2, processes=True, threads_per_worker=1) as cluster,
            Client(cluster) as client,
        ):
            print(run(client, args.inputs, args.output))


if __name__ == "__main__":
    main()
