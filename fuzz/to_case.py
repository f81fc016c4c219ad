"""Turn fuzzer inputs (crash, slow or corpus files) into regression cases.

Usage::

    python fuzz/to_case.py TARGET NAME INPUT_FILE [NOTE]

decodes INPUT_FILE exactly as ``fuzz_newsnorm.py`` does and writes
``tests/cases/fuzz/NAME.json`` with the target, text, publication date and source
(JSON-encoded; dates as ISO strings or their ``repr`` when they are not JSON values),
so the regression test runs without atheris.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent


def decode(data: bytes) -> tuple[object, object, str]:
    sys.path.insert(0, str(HERE))
    from fuzz_newsnorm import PUBLISHED, SOURCES  # noqa: PLC0415 - after the path is set

    fdp = atheris.FuzzedDataProvider(data)
    published = PUBLISHED[fdp.ConsumeIntInRange(0, len(PUBLISHED) - 1)]
    source = SOURCES[fdp.ConsumeIntInRange(0, len(SOURCES) - 1)]
    return published, source, fdp.ConsumeUnicode(fdp.remaining_bytes())


def as_json(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return value


def main() -> None:
    target, name, path = sys.argv[1:4]
    note = sys.argv[4] if len(sys.argv) > 4 else ""
    published, source, text = decode(Path(path).read_bytes())
    case = {
        "target": target,
        "note": note,
        "published": as_json(published),
        "source": source,
        "text": text,
    }
    out = HERE.parent / "tests" / "cases" / "fuzz" / f"{name}.json"
    out.write_text(json.dumps(case, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(text)} characters)")


if __name__ == "__main__":
    main()
