"""The bundled examples run, and the README's commands stay what .ci/run executes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quickstart_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert out.count("=== ") == 5
    assert "repair.possessive-space" in out


def test_articles_match_the_seed_manifest() -> None:
    manifest = ROOT.parent / "shared" / "seeds" / "manifest.jsonl"
    text = (ROOT / "examples" / "articles.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert {"id", "source", "published", "text"} <= set(records[0])
    if manifest.exists():
        rows = [json.loads(line) for line in manifest.read_text().splitlines() if line]
        by_file = {row["file"][:-4]: row for row in rows}
        for rec in records:
            row = by_file[rec["id"]]
            assert (rec["source"], rec["published"]) == (row["source"], row["published"])
            seed = (manifest.parent / row["file"]).read_text(encoding="utf-8")
            assert rec["text"] == seed


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in readme
    assert "<!-- test-command -->" in ci  # .ci/run extracts and runs the README's command
