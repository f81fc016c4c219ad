"""Normalise JSONL files with Spark: RDD ``mapPartitions`` and a DataFrame ``pandas_udf``.

::

    spark-submit examples/spark_job.py "hdfs:///news/*.jsonl" hdfs:///news-normalised

Every executor needs newsnorm installed (``pip install 'newsnorm[pandas]'`` for the
``pandas_udf`` part). The functions below are plain Python: the test suite runs them
on ordinary iterators and Series, the way Spark calls them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator

import pandas as pd

import newsnorm
from newsnorm.pandas import normalize_series

NORMALIZER = newsnorm.Normalizer()
"""Built once per Python worker when Spark unpickles this module's functions."""


def normalize_lines(lines: Iterable[str]) -> Iterator[str]:
    """The ``mapPartitions`` function: JSONL lines in, JSONL lines out.

    A record with a bad field comes out unchanged with a ``newsnorm.error`` field
    (``on_error="keep"``): filter on it to count or drop the failures. A line that is
    not a JSON object comes out as that field alone, holding the line as ``"input"``:
    one output line per input line.
    """
    for record in NORMALIZER.map_partition(lines, on_error="keep"):
        yield json.dumps(record, ensure_ascii=False)


def normalize_text_column(texts: pd.Series, published: pd.Series) -> pd.Series:
    """The body of a ``pandas_udf``: a Series of texts and one of dates in, texts out."""
    return normalize_series(texts, published, normalizer=NORMALIZER)


def main() -> None:  # pragma: no cover - needs a Spark installation
    from pyspark.sql import SparkSession  # noqa: PLC0415 (Spark is not a dependency)
    from pyspark.sql.functions import pandas_udf  # noqa: PLC0415

    inputs, output = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("newsnorm").getOrCreate()

    # 1. RDD of JSONL lines: whole records, with what newsnorm found.
    spark.sparkContext.textFile(inputs).mapPartitions(normalize_lines).saveAsTextFile(output)

    # 2. DataFrame: just the normalised text, as a new column.
    normalize_udf = pandas_udf(normalize_text_column, "string")
    frame = spark.read.json(inputs)
    frame.withColumn("text_normalised", normalize_udf("text", "published")).show(5)
    spark.stop()


if __name__ == "__main__":
    main()
