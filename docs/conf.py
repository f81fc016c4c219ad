"""Sphinx configuration for newsnorm's documentation."""

from __future__ import annotations

from importlib.metadata import version as _version
from pathlib import Path

project = "newsnorm"
author = "newsnorm developers"
copyright = "2026, newsnorm developers"
release = _version("newsnorm")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # attributes as fields: no duplicate entries beside autodoc's
nitpicky = True
# Names that are not documented objects anywhere (type variables, private helpers).
nitpick_ignore_regex = [
    (r"py:.*", r"newsnorm\._.*"),
    (r"py:.*", r"regex\..*"),
    (r"py:.*", r"_S"),
    (r"py:.*", r"ftfy\..*"),
    (r"py:.*", r"TextFixerConfig"),
]

# Inventories are read from local files first (the build must not need the network):
# Debian's python3-doc and python-attr-doc packages ship the real ones; dateutil has no
# packaged docs, so a small inventory of the dateutil names these docs use is kept in
# _inv/ (made by _inv/make_dateutil_inv.py).
_HERE = Path(__file__).parent


def _local(*paths: str) -> tuple[str | None, ...]:
    found = tuple(p for p in paths if Path(p).exists())
    return found or (None,)


intersphinx_mapping = {
    "python": (
        "https://docs.python.org/3",
        _local(
            "/usr/share/doc/python3.11/html/objects.inv", "/usr/share/doc/python3/html/objects.inv"
        ),
    ),
    "attrs": (
        "https://www.attrs.org/en/stable",
        _local("/usr/share/doc/python-attr-doc/html/objects.inv"),
    ),
    "dateutil": (
        "https://dateutil.readthedocs.io/en/stable",
        _local(str(_HERE / "_inv" / "dateutil.inv")),
    ),
}
intersphinx_timeout = 5

html_theme = "furo"
html_title = "newsnorm"
