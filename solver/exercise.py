"""Exercise files (TOML) → frozen dataclasses, validated with the file and key of every problem.

This module reads what every kind of exercise shares: the header (title, source, description,
precision, kind) and the heading of each part (name, title, start). The rest of the file belongs
to the kind: its reader (solver/kinds/<kind>/reader.py) turns it into the kind's given data and
parts. The format is documented in README.md ("Exercise format") and in the annotated example
`exercises/mlp-5-3-2-sigmoid.toml`. Files are data: they are parsed with tomllib, never executed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solver.errors import ExerciseError
from solver.fields import FieldReader, read_toml
from solver.text import quoted
from solver.kinds import KINDS, Kind
from solver.limits import Limits

HEADER_KEYS = frozenset({"title", "source", "description", "precision", "kind", "number_format", "variants", "ask"})
"""`variants` and `ask` are used by the commands that need them (solver/variants/, the Moodle
export); solving an exercise checks its `[variants]` table but does not use it."""
PART_HEADER_KEYS = frozenset({"name", "title", "start"})
DEFAULT_KIND = "mlp"
DEFAULT_PRECISION = 6
MAX_PARTS = 100
LINE_LENGTH = 500  # a title, a source; TeX reads a line of at most a few thousand characters
DESCRIPTION_LENGTH = 20_000
STARTS = ("initial", "previous")
NUMBER_FORMATS = ("decimal", "fraction")
"""How a sheet writes a rational value: as a decimal, or (where it is exact) as a fraction."""


@dataclass(frozen=True)
class Exercise:
    """An exercise of any kind. `setup` is the kind's given data (for "mlp", the Network) and
    `parts` are the kind's own part records, each with at least name, title, start and conventions."""

    path: str
    title: str
    source: str
    description: str
    precision: int
    kind: str
    setup: Any
    parts: tuple[Any, ...]
    limits: Limits = Limits()
    number_format: str = "decimal"
    """"fraction": a step whose every value is rational is written as fractions (the engine works
    them out where that is safe: solver/exact.py, Recorder); "decimal" (the default): decimals,
    except where a kind works in fractions of its own accord (least squares' `exact`)."""


@dataclass(frozen=True)
class PartHeader:
    """What every part has: its name, its title, and whether it starts from the initial values
    ("initial") or from those the previous part ended with ("previous")."""

    name: str
    title: str
    start: str


def load_exercise(path: str | Path, limits: Limits = Limits()) -> Exercise:
    """Read and validate an exercise file; ExerciseError says what is wrong and where."""
    data, text = read_toml(path, ExerciseError, "an exercise file")
    return parse_exercise(data, str(path), text, limits)


def parse_exercise(data: dict, path: str = "<exercise>", text: str | None = None, limits: Limits = Limits()) -> Exercise:
    """Validate already parsed TOML; `path` names the file in error messages and `text`, when
    given, lets them name the line."""
    read = FieldReader(path, text)
    kind = _kind(read, data if isinstance(data, dict) else {})  # read.table refuses a non-table next
    read.table(data, "", HEADER_KEYS | kind.keys)
    title = read.text(data, "title", "", "Untitled exercise", maximum=LINE_LENGTH)
    source = read.text(data, "source", "", "", maximum=LINE_LENGTH)
    description = read.text(data, "description", "", "", maximum=DESCRIPTION_LENGTH)
    precision = read.integer(data, "precision", "", DEFAULT_PRECISION, maximum=17)
    number_format = read.choice(data, "number_format", "", NUMBER_FORMATS, NUMBER_FORMATS[0])
    if isinstance(data.get("parts"), list) and len(data["parts"]) > MAX_PARTS:
        raise read.error("parts", f"{len(data['parts']):,} parts; an exercise has at most {MAX_PARTS}")
    setup, parts = kind.read(read, {key: value for key, value in data.items() if key not in HEADER_KEYS}, limits)
    if "variants" in data:  # checked here too, so that a mistake in it shows as soon as the file is solved
        from solver.variants.spec import read_spec

        read_spec(data, path, text)
    return Exercise(path, title, source, description, precision, kind.name, setup, parts, limits, number_format)


def _kind(read: FieldReader, data: dict) -> Kind:
    name = read.text(data, "kind", "", DEFAULT_KIND)
    if name not in KINDS:
        raise read.error("kind", f"unknown kind {name!r}; expected one of {', '.join(KINDS)}")
    return KINDS[name]


def read_part_header(read: FieldReader, data: dict, index: int, earlier: Collection[str]) -> PartHeader:
    """The name, title and start of the part `data` = parts[index], for any kind; `earlier` are
    the names of the parts before it, which it must not repeat."""
    where = f"parts[{index}]"
    start = read.choice(data, "start", where, STARTS, "initial")
    if index == 0 and start == "previous":
        raise read.error(f"{where}.start", "the first part has no previous part; expected 'initial'")
    name = read.text(data, "name", where, chr(ord("a") + index) if index < 26 else f"part{index + 1}")
    if not name or len(name) > 40 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        raise read.error(f"{where}.name", f"expected up to 40 ASCII letters, digits, - or _, got {quoted(name)}")
    if name in earlier:
        raise read.error(f"{where}.name", f"expected a name not used by another part, got {name!r}")
    return PartHeader(name, read.text(data, "title", where, "", maximum=LINE_LENGTH), start)


def parts_tables(read: FieldReader, data: dict) -> list:
    """The file's [[parts]] tables, for any kind: one part with no settings when there are none."""
    parts = data.get("parts", [{}])
    if not isinstance(parts, list) or not parts:
        raise read.error("parts", "expected one or more [[parts]] tables")
    return parts


def read_standalone_part(read: FieldReader, data: Any, index: int, earlier: Collection[str], keys: Collection[str],
                         reason: str) -> PartHeader:
    """The header of parts[index] for a kind whose parts carry nothing over from the one before:
    the table checked against `keys`, and start = "previous" refused, `reason` saying why."""
    where = f"parts[{index}]"
    read.table(data, where, keys)
    header = read_part_header(read, data, index, earlier)
    if header.start == "previous":
        raise read.error(f"{where}.start", f"{reason}; expected 'initial'")
    return header
