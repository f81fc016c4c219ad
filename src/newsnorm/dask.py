"""Dask support: normalise a ``dask.bag.Bag`` of records on any Dask cluster.

:func:`normalize_bag` runs :meth:`Normalizer.map_partition <newsnorm.Normalizer.map_partition>`'s
code on every partition and keeps failures apart, so that
``records in == records out + skipped`` holds across the whole cluster. It gives the
same records, in the same order, as the single-process path.

Importing this module does not import Dask; :func:`normalize_bag` and :func:`read_jsonl`
do, and raise :class:`ImportError` naming the extra (``newsnorm[dask]``) when Dask is
missing.

>>> import dask.bag as db
>>> from newsnorm.dask import normalize_bag
>>> bag = db.from_sequence([{"id": 1, "text": "a\\u00a0b"}, {"id": 2, "text": 3}], npartitions=2)
>>> result = normalize_bag(bag)
>>> records, errors = result.compute(scheduler="sync")
>>> [r["text"] for r in records], [(e["id"], e["error"]) for e in errors]
(['a b'], [('2', 'InputTypeError')])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import attrs

from newsnorm import _batch
from newsnorm._pipeline import Normalizer

__all__ = ["BagResult", "normalize_bag", "read_jsonl"]


def _bag_module() -> Any:
    try:
        import dask.bag  # noqa: PLC0415
    except ImportError as err:
        msg = "newsnorm.dask needs Dask: pip install 'newsnorm[dask]'"
        raise ImportError(msg) from err
    return dask.bag


@attrs.frozen(kw_only=True)
class BagResult:
    """The output of :func:`normalize_bag`: two lazy bags over one computation.

    Compute them together (``result.compute()`` or ``dask.compute(result.records,
    result.errors)``) so the records are normalised once.

    Attributes:
        records: The output records (with ``on_error="keep"`` failed records are among
            them, unchanged, with a ``newsnorm.error`` field).
        errors: One dict per failed record: ``id``, ``partition_index`` (position in its
            partition), ``error`` (exception class), ``message`` and ``kept``.
    """

    records: Any
    errors: Any

    def compute(self, **kwargs: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Compute both bags in one pass; ``kwargs`` go to ``dask.compute``."""
        from dask.base import compute  # noqa: PLC0415

        records, errors = cast(Any, compute)(self.records, self.errors, **kwargs)
        return list(records), list(errors)


def _tagged_partition(items: Iterable[Any], job: _batch.Job) -> list[tuple[Any, ...]]:
    """Outcomes of one partition, tagged: ``("ok", record)`` or ``("error", failure, kept)``."""
    tagged: list[tuple[Any, ...]] = []
    position = 0
    for item in items:
        if isinstance(item, str | bytes) and not item.strip():
            continue  # blank lines of a JSONL file are not records
        ok, payload, extra = _batch.process(job, item)
        if ok:
            tagged.append(("ok", payload))
        else:
            ident, error, message = payload
            failure = {
                "id": ident,
                "partition_index": position,
                "error": error,
                "message": message,
                "kept": extra is not None,
            }
            tagged.append(("error", failure, extra))
        position += 1
    return tagged


def _records(tagged: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for entry in tagged:
        if entry[0] == "ok":
            out.append(entry[1])
        elif entry[2] is not None:
            out.append(entry[2])
    return out


def _errors(tagged: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [entry[1] for entry in tagged if entry[0] == "error"]


def normalize_bag(
    bag: Any,
    normalizer: Normalizer | None = None,
    *,
    text_field: str = "text",
    date_field: str | None = "published",
    source_field: str | None = "source",
    id_field: str | None = "id",
    explain: bool = False,
    on_error: _batch.OnError = "skip",
) -> BagResult:
    """Normalise every record of a Dask bag, on whatever cluster runs it.

    Args:
        bag: A ``dask.bag.Bag`` of records (mappings) or of JSONL lines (strings,
            as ``dask.bag.read_text`` gives them; see :func:`read_jsonl`).
        normalizer: The :class:`~newsnorm.Normalizer` (default: every step, default
            options). It travels to the workers pickled as its config (a few hundred
            bytes) as one task of the graph, so each worker compiles it once.
        text_field: Field holding the text.
        date_field: Field holding the publication date, or ``None``.
        source_field: Field holding the outlet, or ``None``.
        id_field: Field holding the record id (reported with failures), or ``None``.
        explain: Add ``changes`` and ``notes`` to each record's ``newsnorm`` field.
        on_error: ``"skip"`` (default): failed records are left out of ``records`` and
            listed in ``errors``; ``"keep"``: they stay in ``records`` unchanged, marked,
            and are listed in ``errors``; ``"raise"``: the computation fails.

    Returns:
        A :class:`BagResult` with the lazy ``records`` and ``errors`` bags.
    """
    _bag_module()
    norm = normalizer if normalizer is not None else Normalizer()
    job = _batch.Job(
        normalizer=norm,
        mode="record",
        fields=_batch.Fields.of(text_field, date_field, source_field, id_field),
        explain=bool(explain),
        on_error=_batch.check_on_error(on_error),
    )
    # One task holds the job: each worker unpickles (compiles) it once and keeps it in
    # memory for all its partitions, instead of once per partition.
    from dask.delayed import delayed  # noqa: PLC0415

    job_once = cast(Any, delayed)(job, pure=True, traverse=False)
    tagged = bag.map_partitions(_tagged_partition, job_once)
    return BagResult(records=tagged.map_partitions(_records), errors=tagged.map_partitions(_errors))


def read_jsonl(paths: str | list[str], *, blocksize: int | str | None = None) -> Any:
    """A bag of the lines of JSONL files (local paths or any fsspec URL, globs allowed),
    ready for :func:`normalize_bag`, which parses them on the workers (a bad line is a
    failed record, not a crashed job).

    Args:
        paths: File paths, a glob, or URLs (``s3://...`` needs the fsspec backend).
        blocksize: Split files into partitions of about this many bytes (default: one
            partition per file).
    """
    bag_module = _bag_module()
    return bag_module.read_text(paths, blocksize=blocksize)
