"""Alias tables: loading JSON, TOML and CSV, clear errors, merging, hashing, pickling."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import newsnorm
from newsnorm.aliases import (
    DEFAULT_TABLE,
    Alias,
    AliasConfig,
    AliasResolver,
    AliasTable,
    Context,
    Entity,
    resolve_aliases,
)
from newsnorm.errors import ConfigError, TableError

JSON_TABLE = {
    "entities": [
        {
            "id": "Q1",
            "label": "Acme Corporation",
            "aliases": [
                "Acme",
                {"text": "ACME", "case": "exact", "caps_lines": False},
                {"text": "Roadrunner", "require": {"words": ["acme", "coyote*"], "window": None}},
                {"text": "Acme Corp.", "avoid": {"words": ["fake"], "window": 3}, "rewrite": False},
            ],
            "note": "test entity",
        },
        {"id": "Q2", "label": "Wile E. Coyote", "aliases": ["Wile Coyote"]},
    ]
}
TOML_TABLE = """
[[entities]]
id = "Q1"
label = "Acme Corporation"
note = "test entity"
aliases = [
  "Acme",
  { text = "ACME", case = "exact", caps_lines = false },
  { text = "Roadrunner", require = { words = ["acme", "coyote*"], window = "text" } },
  { text = "Acme Corp.", avoid = { words = ["fake"], window = 3 }, rewrite = false },
]

[[entities]]
id = "Q2"
label = "Wile E. Coyote"
aliases = ["Wile Coyote"]
"""
CSV_TABLE = """id,label,alias,case,caps_lines,rewrite,require,require_window,avoid,avoid_window,note
Q1,Acme Corporation,Acme,,,,,,,,test entity
Q1,Acme Corporation,ACME,exact,false,,,,,,
Q1,Acme Corporation,Roadrunner,,,,acme|coyote*,text,,,
Q1,Acme Corporation,Acme Corp.,,,false,,,fake,3,
Q2,Wile E. Coyote,Wile Coyote,,,,,,,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_toml_csv_give_the_same_table(tmp_path: Path) -> None:
    from_json = AliasTable.from_file(write(tmp_path, "t.json", json.dumps(JSON_TABLE)))
    from_toml = AliasTable.from_file(write(tmp_path, "t.toml", TOML_TABLE))
    from_csv = AliasTable.from_file(write(tmp_path, "t.csv", CSV_TABLE))
    assert from_json == from_toml == from_csv
    assert hash(from_json) == hash(from_csv)
    assert from_json.digest == from_csv.digest
    assert from_json["Q1"].aliases[2].require == Context(words=("acme", "coyote*"), window=None)
    assert from_json.name.endswith("t.json")
    # The dict format round-trips.
    assert AliasTable.from_dict(from_json.to_dict()) == from_json


def test_loaded_table_resolves(tmp_path: Path) -> None:
    table = AliasTable.from_file(write(tmp_path, "t.json", json.dumps(JSON_TABLE)))
    doc = resolve_aliases("Acme sued Wile Coyote over the Roadrunner.", table=table)
    assert doc.text == "Acme Corporation sued Wile E. Coyote over the Acme Corporation."
    doc = resolve_aliases("The Roadrunner ran.", table=table)
    assert not doc.entities  # no context word anywhere in the text
    doc = resolve_aliases("Acme Corp. makes anvils", table=table)
    assert doc.text == "Acme Corp. makes anvils"  # rewrite = false
    assert [e.surface for e in doc.entities] == ["Acme Corp."]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", "{not json", r"alias table '.*bad\.json': invalid JSON"),
        ("bad.toml", "[[entities]\n", r"alias table '.*bad\.toml': invalid TOML"),
        ("t.yaml", "a: 1", r"unknown format 'yaml'"),
        (
            "case.json",
            json.dumps(
                {
                    "entities": [
                        {"id": "Q9", "label": "X", "aliases": [{"text": "Y", "case": "odd"}]}
                    ]
                }
            ),
            r"'.*case\.json': entity 1 \(id 'Q9'\): alias 1 \(\{'text': 'Y', \.\.\.\}\): case must be",
        ),
        (
            "missing.json",
            json.dumps([{"id": "Q9", "aliases": []}]),
            r"entity 1 \(id 'Q9'\): missing 'label'",
        ),
        (
            "key.json",
            json.dumps([{"id": "Q9", "label": "X", "alias": ["Y"]}]),
            r"entity 1 \(id 'Q9'\): unknown key\(s\) \['alias'\]",
        ),
        (
            "punct.json",
            json.dumps([{"id": "Q8", "label": "X"}, {"id": "Q9", "label": "X", "aliases": ["-Y"]}]),
            r"entity 2 \(id 'Q9'\): alias 1 \('-Y'\): .*must start with a letter or a digit",
        ),
        (
            "window.json",
            json.dumps(
                [
                    {
                        "id": "Q9",
                        "label": "X",
                        "aliases": [{"text": "Y", "require": {"words": ["a"], "window": 0}}],
                    }
                ]
            ),
            r"entity 1 \(id 'Q9'\): alias 1 .*window must be a positive number",
        ),
        (
            "words.json",
            json.dumps(
                [
                    {
                        "id": "Q9",
                        "label": "X",
                        "aliases": [{"text": "Y", "avoid": {"words": ["two words"]}}],
                    }
                ]
            ),
            r"alias 1 .*context word 'two words' must be one word",
        ),
        (
            "dup.json",
            json.dumps([{"id": "Q9", "label": "X"}, {"id": "Q9", "label": "Z"}]),
            r"'.*dup\.json': entity id 'Q9' appears twice",
        ),
        (
            "bad.csv",
            "id,label,alias\nQ1,A,B\nQ1,C,D\n",
            r"'.*bad\.csv': row 3: entity 'Q1' has label 'C' here but 'A' above",
        ),
        ("cols.csv", "id,name,alias\nQ1,A,B\n", r"CSV header needs id, label, alias"),
        (
            "flag.csv",
            "id,label,alias,caps_lines\nQ1,A,B,maybe\n",
            r"row 2: caps_lines must be true or false, got 'maybe'",
        ),
    ],
)
def test_malformed_tables_name_file_and_entry(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(TableError, match=message):
        AliasTable.from_file(write(tmp_path, name, text))


def test_table_error_is_a_config_error_and_a_value_error() -> None:
    assert issubclass(TableError, ConfigError)
    assert issubclass(TableError, ValueError)


def test_conflicting_names_are_an_error_when_compiled() -> None:
    table = DEFAULT_TABLE.merge(
        AliasTable(entities=(Entity(id="X", label="Information Systems", aliases=("ISIL",)),))
    )
    with pytest.raises(TableError, match=r"alias 'ISIL' of 'X' is also an alias of 'Q2429253'"):
        AliasResolver(AliasConfig(table=table))
    # Guarded, it may share the name: the first entity whose checks pass wins.
    guarded = Entity(
        id="X",
        label="Information Systems",
        aliases=(Alias(text="ISIS", avoid=Context(words=("jihad*",), window=None)),),
    )
    table = DEFAULT_TABLE.without("Q2429253").merge(AliasTable(entities=(guarded,)))
    assert resolve_aliases("ISIS runs on the server.", table=table).entities[0].entity_id == "X"


def test_merge_replaces_and_appends() -> None:
    mine = AliasTable(
        entities=(
            Entity(id="Q30", label="USA", aliases=(Alias(text="US", caps_lines=False),)),
            Entity(id="X1", label="Acme", aliases=()),
        ),
        name="mine",
    )
    merged = DEFAULT_TABLE.merge(mine)
    assert merged["Q30"].label == "USA"
    assert [e.id for e in merged][-1] == "X1"
    assert len(merged) == len(DEFAULT_TABLE) + 1
    assert resolve_aliases("US troops", table=merged).text == "USA troops"
    with pytest.raises(ConfigError, match="no entity 'nope'"):
        merged.without("nope")
    with pytest.raises(ConfigError, match="merge takes AliasTable"):
        merged.merge({"entities": []})  # type: ignore[arg-type]


def test_hash_pickle_and_repr() -> None:
    table = AliasTable.from_dict(JSON_TABLE, name="a")
    same = AliasTable.from_dict(JSON_TABLE, name="b")
    assert table == same
    assert hash(table) == hash(same)
    assert pickle.loads(pickle.dumps(table)) == table
    assert repr(table) == "AliasTable('a', 2 entities, 7 aliases)"
    config = newsnorm.NormalizeConfig(aliases=AliasConfig(table=table, mode="annotate"))
    assert pickle.loads(pickle.dumps(config)) == config
    assert hash(pickle.loads(pickle.dumps(config))) == hash(config)
    norm = newsnorm.Normalizer(config)
    again = pickle.loads(pickle.dumps(norm))
    assert again == norm
    assert again("Acme").entities[0].entity_id == "Q1"


def test_default_table_ids() -> None:
    ids = [e.id for e in DEFAULT_TABLE]
    qids = [i for i in ids if i.startswith("Q")]
    assert len(qids) >= 48  # the group plus at least 40 other entities with a QID
    for entity in DEFAULT_TABLE:
        assert entity.id.startswith(("Q", "newsnorm:"))
        if entity.id.startswith("newsnorm:"):
            assert "could not be verified" in entity.note
