"""The ``newsnorm`` command: normalise JSONL records or directories of text files.

Usage: ``newsnorm [INPUT ...|-] [-o OUTPUT|-] [options]``. Each input is a JSONL file
(one JSON object per line), a directory of ``.txt`` files (searched recursively; each
file is one record with ``id`` = its path relative to the directory), a single
``.txt`` file, or ``-`` for JSONL on standard input (the default). Output is JSONL:
every input record with its text field replaced by the normalised text and a
``newsnorm`` field holding what was found (entities, dates, captions; with
``--explain`` also the changes and notes).

A line that is not a JSON object or a record with a bad field is reported (on stderr,
or in the ``--errors`` file) and left out; every good record still comes out, in
order. Exit codes: 0 every record was normalised, 1 some records failed, 2 usage
error (bad flag, unknown step, missing input file).

The command streams: memory does not grow with the input. ``--learn-boilerplate``
reads the input twice (standard input is first copied to a temporary file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

import newsnorm
from newsnorm import _batch
from newsnorm._pipeline import STEPS, NormalizeConfig, Normalizer
from newsnorm.aliases import AliasTable
from newsnorm.boilerplate import learn_boilerplate
from newsnorm.errors import ConfigError, NewsnormError, RecordError

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2

_PROGRESS_DELAY = 1.0
"""Seconds before the progress bar appears (short runs never show it)."""
_PROGRESS_INTERVAL = 0.2


class _UsageError(Exception):
    """A problem with the command line or its inputs: exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsnorm",
        description=(
            "Normalise news articles: read JSONL records (or directories of .txt files), "
            "write JSONL with the normalised text and what was found."
        ),
        epilog=f"steps, in pipeline order: {', '.join(STEPS)}. "
        "Exit codes: 0 all records normalised, 1 some failed, 2 usage error.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="JSONL file, directory of .txt files, .txt file, or - for stdin (default: -)",
    )
    parser.add_argument(
        "-o", "--output", default="-", metavar="OUTPUT", help="output JSONL file (default: stdout)"
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"newsnorm {newsnorm.__version__}"
    )

    fields = parser.add_argument_group("record fields")
    fields.add_argument(
        "--text-field", default="text", metavar="NAME", help="field with the text (default: text)"
    )
    fields.add_argument(
        "--date-field",
        default="published",
        metavar="NAME",
        help="field with the publication date, ISO 8601 (default: published)",
    )
    fields.add_argument(
        "--source-field",
        default="source",
        metavar="NAME",
        help="field with the outlet (default: source)",
    )
    fields.add_argument(
        "--id-field",
        default="id",
        metavar="NAME",
        help="field with the record id, used in reports (default: id)",
    )

    steps = parser.add_argument_group("steps")
    steps.add_argument(
        "--steps", metavar="NAMES", help="comma-separated steps to run (default: all)"
    )
    steps.add_argument("--disable", metavar="NAMES", help="comma-separated steps not to run")
    steps.add_argument(
        "--aliases", metavar="FILE", type=Path, help="alias table for the aliases step"
    )
    steps.add_argument(
        "--learn-boilerplate",
        action="store_true",
        help="learn each outlet's boilerplate from the input first (reads the input twice)",
    )

    output = parser.add_argument_group("output and errors")
    output.add_argument(
        "--explain", action="store_true", help="add the changes and notes to each record"
    )
    output.add_argument(
        "--errors",
        metavar="FILE",
        type=Path,
        help="write failed records' reports to FILE as JSONL (default: stderr)",
    )
    output.add_argument(
        "--on-error",
        choices=("skip", "keep"),
        default="skip",
        help="leave failed records out (skip, default) or write them unchanged with "
        "newsnorm.error (keep)",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr"
    )

    speed = parser.add_argument_group("speed")
    speed.add_argument(
        "-n",
        "--n-process",
        type=int,
        default=1,
        metavar="N",
        help="processes that normalise: this one and N-1 workers (default: 1; -1: all cores)",
    )
    speed.add_argument(
        "--batch-size",
        type=int,
        default=1000,
        metavar="N",
        help="records sent to a worker at a time (default: 1000)",
    )
    return parser


# ---------------------------------------------------------------------------------------
# Configuration from the flags.


def _step_names(value: str, flag: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in STEPS]
    if unknown:
        msg = (
            f"{flag}: unknown step(s) {', '.join(map(repr, unknown))}; "
            f"known steps: {', '.join(STEPS)}"
        )
        raise _UsageError(msg)
    return names


def _config(args: argparse.Namespace) -> NormalizeConfig:
    steps = list(STEPS)
    if args.steps is not None:
        steps = _step_names(args.steps, "--steps")
    if args.disable is not None:
        disabled = set(_step_names(args.disable, "--disable"))
        steps = [name for name in steps if name not in disabled]
    config = NormalizeConfig(steps=tuple(steps))
    if args.aliases is not None:
        config = _with_aliases(config, args.aliases)
    return config


def _with_aliases(config: NormalizeConfig, path: Path) -> NormalizeConfig:
    """Load ``--aliases FILE`` into the aliases step's config."""
    if not path.is_file():
        msg = f"--aliases: no such file: {path}"
        raise _UsageError(msg)
    try:
        table = AliasTable.from_file(path)
    except (OSError, ValueError, NewsnormError) as err:
        msg = f"--aliases: {err}"
        raise _UsageError(msg) from None
    return attrs.evolve(config, aliases=attrs.evolve(config.aliases, table=table))


def _with_boilerplate_model(
    config: NormalizeConfig, sources: list[_Input], args: argparse.Namespace
) -> NormalizeConfig:
    """First pass of ``--learn-boilerplate``: learn the outlet model from the input."""
    fields = _fields(args)
    # Learn from the text as the boilerplate step will see it: after the steps before it.
    order = list(STEPS)
    before = order[: order.index("boilerplate")]
    earlier = Normalizer(attrs.evolve(config, steps=tuple(s for s in before if s in config.steps)))
    job = _batch.Job(normalizer=earlier, mode="doc", fields=fields, on_error="skip")

    def records() -> Iterator[Any]:
        for _where, item in _read_inputs(sources, fields, None):
            try:
                yield _batch._parse_line(item) if isinstance(item, bytes) else item
            except RecordError:
                continue  # reported by the second pass

    docs = _batch.run(
        job, records(), batch_size=args.batch_size, n_process=_n_process(args.n_process)
    )
    model = learn_boilerplate(doc for _index, doc in docs)
    return attrs.evolve(config, boilerplate=attrs.evolve(config.boilerplate, model=model))


def _n_process(value: int) -> int:
    try:
        return _batch.check_n_process(value)
    except ConfigError:
        msg = f"--n-process must be a positive number or -1, got {value}"
        raise _UsageError(msg) from None


def _fields(args: argparse.Namespace) -> _batch.Fields:
    try:
        return _batch.Fields.of(args.text_field, args.date_field, args.source_field, args.id_field)
    except ConfigError as err:
        raise _UsageError(str(err)) from None


# ---------------------------------------------------------------------------------------
# Inputs.


@attrs.frozen
class _Input:
    label: str
    path: Path | None  # None: standard input
    kind: str  # "jsonl", "dir" or "txt"


def _inputs(names: Sequence[str]) -> list[_Input]:
    found: list[_Input] = []
    for name in names or ["-"]:
        if name == "-":
            found.append(_Input("<stdin>", None, "jsonl"))
            continue
        path = Path(name)
        if path.is_dir():
            found.append(_Input(name, path, "dir"))
        elif path.is_file():
            found.append(_Input(name, path, "txt" if path.suffix == ".txt" else "jsonl"))
        else:
            msg = f"no such file or directory: {name}"
            raise _UsageError(msg)
    if sum(source.path is None for source in found) > 1:
        msg = "standard input (-) can be read only once"
        raise _UsageError(msg)
    return found


def _total_bytes(sources: list[_Input]) -> int | None:
    total = 0
    for source in sources:
        if source.path is None or source.kind == "dir":
            return None
        total += source.path.stat().st_size
    return total


class _Bytes:
    """Bytes read so far (for the progress bar)."""

    def __init__(self) -> None:
        self.done = 0


def _read_inputs(
    sources: list[_Input], fields: _batch.Fields, counter: _Bytes | None
) -> Iterator[tuple[str, Any]]:
    """``(where, item)`` for every record: raw JSONL lines (parsed by the workers) or
    records made from text files."""
    for source in sources:
        if source.kind == "dir":
            assert source.path is not None
            for file in sorted(source.path.rglob("*.txt")):
                if file.is_file():
                    rel = file.relative_to(source.path).as_posix()
                    yield rel, _text_record(file, rel, fields, counter)
        elif source.kind == "txt":
            assert source.path is not None
            yield source.label, _text_record(source.path, source.path.name, fields, counter)
        else:
            with _open_binary(source.path) as stream:
                for lineno, line in enumerate(stream, 1):
                    if counter is not None:
                        counter.done += len(line)
                    if line.strip():
                        yield f"{source.label}:{lineno}", line


@contextlib.contextmanager
def _open_binary(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None:
        yield sys.stdin.buffer
    else:
        with path.open("rb") as stream:
            yield stream


def _text_record(path: Path, rel: str, fields: _batch.Fields, counter: _Bytes | None) -> Any:
    data = path.read_bytes()
    if counter is not None:
        counter.done += len(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = f"{rel} is not valid UTF-8 ({err.reason} at byte {err.start})"
        return RecordError(msg)
    record = {fields.text: text}
    if fields.id is not None:
        record = {fields.id: rel, **record}
    return record


def _spool_stdin() -> tempfile._TemporaryFileWrapper[bytes]:
    spool = tempfile.NamedTemporaryFile(prefix="newsnorm-stdin-", suffix=".jsonl")  # noqa: SIM115
    while chunk := sys.stdin.buffer.read(1 << 20):
        spool.write(chunk)
    spool.flush()
    return spool


# ---------------------------------------------------------------------------------------
# Progress on stderr.


class _Progress:
    def __init__(self, stream: IO[str], *, total: int | None, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def update(self, records: int, done_bytes: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < _PROGRESS_DELAY or now - self.last < _PROGRESS_INTERVAL:
            return
        self.last = now
        rate = records / max(now - self.started, 1e-9)
        line = f"newsnorm: {records:,} record{'' if records == 1 else 's'}, {rate:,.0f}/s"
        if self.total:
            line += f", {min(100.0, 100.0 * done_bytes / self.total):.0f}%"
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# ---------------------------------------------------------------------------------------
# The command.


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    >>> main(["--steps", "nosuchstep", "-q"])
    2
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        return _run(args)
    except _UsageError as err:
        parser.print_usage(sys.stderr)
        print(f"newsnorm: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``newsnorm ... | head``): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        msg = f"--batch-size must be at least 1, got {args.batch_size}"
        raise _UsageError(msg)
    n_process = _n_process(args.n_process)
    fields = _fields(args)
    sources = _inputs(args.inputs)
    config = _config(args)
    with contextlib.ExitStack() as stack:
        if args.learn_boilerplate:
            if any(source.path is None for source in sources):
                spool = stack.enter_context(_spool_stdin())
                sources = [
                    _Input("<stdin>", Path(spool.name), "jsonl") if s.path is None else s
                    for s in sources
                ]
            config = _with_boilerplate_model(config, sources, args)
        normalizer = Normalizer(config)
        job = _batch.Job(
            normalizer=normalizer,
            mode="json",
            fields=fields,
            explain=args.explain,
            on_error=args.on_error,
        )
        out = _open_output(args.output, stack, sources)
        errors_out = None
        if args.errors is not None:
            try:
                errors_out = stack.enter_context(
                    args.errors.open("w", encoding="utf-8", errors="backslashreplace")
                )
            except OSError as err:
                msg = f"--errors: cannot write {args.errors}: {err.strerror}"
                raise _UsageError(msg) from None
        stderr = sys.stderr
        show_progress = not args.quiet and stderr.isatty()
        progress = _Progress(stderr, total=_total_bytes(sources), enabled=show_progress)
        report = _batch.BatchReport(max_failures=0)

        def on_failure(failure: _batch.RecordFailure) -> None:
            if errors_out is not None:
                errors_out.write(json.dumps(failure.to_dict(), ensure_ascii=False) + "\n")
            else:
                if progress.drawn:
                    stderr.write("\r\x1b[K")
                stderr.write(f"newsnorm: {failure}\n")

        counter = _Bytes()
        wheres: deque[tuple[int, str]] = deque()

        def items() -> Iterator[Any]:
            for index, (where, item) in enumerate(_read_inputs(sources, fields, counter)):
                wheres.append((index, where))
                yield item

        def where(index: int) -> str | None:
            while wheres and wheres[0][0] < index:
                wheres.popleft()
            return wheres[0][1] if wheres and wheres[0][0] == index else None

        results = _batch.run(
            job,
            items(),
            batch_size=args.batch_size,
            n_process=n_process,
            report=report,
            wheres=where,
            on_failure=on_failure,
        )
        for written, (index, line) in enumerate(results, 1):
            # A lone surrogate (a JSON "\\ud800" escape in the input, kept in a field or
            # in a change's "before") cannot be UTF-8: it is written back as that escape.
            out.write(line.encode("utf-8", "backslashreplace") + b"\n")
            while wheres and wheres[0][0] < index:
                wheres.popleft()
            progress.update(written, counter.done)
        out.flush()
        progress.close()
    if not args.quiet:
        summary = f"newsnorm: {report.summary()}"
        if report.failed and args.errors is not None:
            summary += f" (failures in {args.errors})"
        print(summary, file=sys.stderr)
    return EXIT_FAILURES if report.failed else EXIT_OK


def _open_output(name: str, stack: contextlib.ExitStack, sources: list[_Input]) -> IO[bytes]:
    if name == "-":
        return sys.stdout.buffer
    target = Path(name)
    if target.exists() and any(
        s.path is not None and s.path.is_file() and s.path.samefile(target) for s in sources
    ):
        msg = f"the output {name} is also an input: write to another file"
        raise _UsageError(msg)
    try:
        return stack.enter_context(Path(name).open("wb"))
    except OSError as err:
        msg = f"cannot write {name}: {err.strerror}"
        raise _UsageError(msg) from None
