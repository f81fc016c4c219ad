"""Write ``dateutil.inv``: an intersphinx inventory of the dateutil names newsnorm's docs use.

dateutil's documentation is not packaged for offline use, and the docs build must not
need the network, so this small inventory points at the real pages of
https://dateutil.readthedocs.io/en/stable/. Run it again when the docs name more of
dateutil: ``python docs/_inv/make_dateutil_inv.py``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

ENTRIES = [
    # (name, domain:role, uri)
    ("dateutil.relativedelta", "py:module", "relativedelta.html#module-dateutil.relativedelta"),
    (
        "dateutil.relativedelta.relativedelta",
        "py:class",
        "relativedelta.html#dateutil.relativedelta.relativedelta",
    ),
    (
        "dateutil.relativedelta.weekday",
        "py:class",
        "relativedelta.html#dateutil.relativedelta.weekday",
    ),
    ("dateutil.parser", "py:module", "parser.html#module-dateutil.parser"),
    ("dateutil.parser.parse", "py:function", "parser.html#dateutil.parser.parse"),
    ("dateutil.parser.isoparse", "py:function", "parser.html#dateutil.parser.isoparse"),
]


def main() -> None:
    header = (
        b"# Sphinx inventory version 2\n"
        b"# Project: dateutil\n"
        b"# Version: 2.9\n"
        b"# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in ENTRIES).encode()
    out = Path(__file__).with_name("dateutil.inv")
    out.write_bytes(header + zlib.compress(body))


if __name__ == "__main__":
    main()
