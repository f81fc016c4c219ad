"""Coverage-guided fuzzing of newsnorm with atheris.

Usage (from the project root, with ``pip install atheris``)::

    python fuzz/fuzz_newsnorm.py [TARGET] [-atheris_runs=N] [-max_total_time=SECONDS] [CORPUS_DIR ...]

TARGET is ``normalize`` (default) or the name of a registered step (``repair``,
``captions``, ...). Each input is split into a text, a publication date choice and a
source choice. Allowed outcomes: a result whose invariants hold, or one of the
documented typed errors (``newsnorm.errors.NewsnormError``). Anything else, a broken
invariant, or an input slower than ``NEWSNORM_FUZZ_SLOW`` seconds (default 1.0) is a
crash: atheris stops and writes the input to a ``crash-*`` file, which then becomes a
regression case in ``tests/cases/fuzz/``. libFuzzer prints the number of executions
(``Done N runs``); the harness prints each new slowest input over 0.05 s and, with
``NEWSNORM_FUZZ_SLOWEST=PATH``, writes it to PATH.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import newsnorm
    from newsnorm import Normalized, _dates_rules
    from newsnorm._inputs import as_doc
    from newsnorm.errors import NewsnormError

TARGET = "normalize"
if len(sys.argv) > 1 and not sys.argv[1].startswith("-") and not Path(sys.argv[1]).is_dir():
    TARGET = sys.argv.pop(1)
SLOW = float(os.environ.get("NEWSNORM_FUZZ_SLOW", "1.0"))
PUBLISHED: list[object] = [
    None,
    dt.date(2017, 7, 11),
    "2016-02-29",
    dt.datetime(2017, 3, 22, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=14))),
    "2017-02-30",
    42,
    "yesterday",
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
]
SOURCES: list[object] = [None, "TRT World", "trtworld.com", "The Local (AFP)", "", 7]
NORMALIZER = newsnorm.Normalizer()
RUNNERS = {name: spec.compile(spec.config_type()) for name, spec in newsnorm.STEPS.items()}
slowest = (0.0, b"")
executions = 0


def check(doc: Normalized, text: str) -> None:
    """Invariants every result keeps (a broken one raises and atheris keeps the input)."""
    assert doc.original == text
    doc.check_offsets()


def one_input(data: bytes) -> None:
    global slowest, executions  # noqa: PLW0603
    executions += 1
    fdp = atheris.FuzzedDataProvider(data)
    published = PUBLISHED[fdp.ConsumeIntInRange(0, len(PUBLISHED) - 1)]
    source = SOURCES[fdp.ConsumeIntInRange(0, len(SOURCES) - 1)]
    text = fdp.ConsumeUnicode(fdp.remaining_bytes())
    t0 = time.perf_counter()
    try:
        if TARGET == "normalize":
            doc = NORMALIZER.normalize(text, published=published, source=source)  # type: ignore[arg-type]
        else:
            start = as_doc(text, published=published, source=source)
            t0 = time.perf_counter()
            doc = RUNNERS[TARGET](start)
    except NewsnormError:
        return
    elapsed = time.perf_counter() - t0
    if elapsed > slowest[0]:
        slowest = (elapsed, data)
        if elapsed > 0.05:  # worth keeping: libFuzzer may exit without unwinding
            print(f"new slowest input: {elapsed:.4f}s ({len(text)} characters)", file=sys.stderr)
            keep = os.environ.get("NEWSNORM_FUZZ_SLOWEST")
            if keep:
                Path(keep).write_bytes(data)
    check(doc, text)
    if elapsed > SLOW:
        msg = f"slow input: {elapsed:.2f}s for {len(text)} characters"
        raise AssertionError(msg)


def warm_up() -> None:
    """Build what the date steps of a process build on first use (the grammar of each word an
    expression can start with), so that the time limit measures the work of each
    input, not a one-time compile."""
    _dates_rules.GRAMMARS.build_all()
    NORMALIZER.normalize("On Monday, Photo: AFP/Getty. ISIS said.", published="2017-07-11")


def main() -> None:
    warm_up()
    atheris.Setup(sys.argv, one_input)
    try:
        atheris.Fuzz()
    finally:
        print(
            f"target {TARGET}: {executions} executions; "
            f"slowest input: {slowest[0]:.4f}s ({len(slowest[1])} bytes)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
