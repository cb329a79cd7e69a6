"""The `[variants]` table of an exercise file: which numbers vary, how, and on what conditions.

    [variants]
    "network.layers[0].weights" = { from = -1, to = 1, step = 0.1, shape = [3, 5] }
    "training.samples[0].input" = { choices = [0, 1] }
    conditions = ["no_tied_output", "finite"]
    description = "…"          # the text variants show instead of the exercise's own

Every other key is a quoted key path (solver/variants/paths.py). A range is the grid from, from +
step, …, up to `to`; with whole numbers and no step, every whole number from `from` to `to`.
A list or matrix is drawn entry by entry; `shape` gives the shape of a value the file leaves to
its default (its table must exist). Choices that are lists are whole values; number or text
choices are drawn entry by entry. Problems are ExerciseError with the file, key and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from solver.errors import ExerciseError
from solver.fields import FieldReader, closest, describe
from solver.locate import locate
from solver.variants.conditions import CONDITIONS
from solver.variants.paths import Key, lookup, parse_path, suggestion

TABLE = "variants"
_BARE = re.compile(r"[A-Za-z0-9_-]+")
RESERVED = frozenset({"conditions", "description"})
RULE_KEYS = frozenset({"from", "to", "step", "choices", "shape"})
MAX_ENTRIES = 10_000
MAX_CHOICES = 1_000
MAX_TEXT = 500
MAX_GRID = 10**12
"""Values one range may hold (a step of 10⁻³⁰ from −1 to 1 would make 2 × 10³⁰)."""


@dataclass(frozen=True)
class Rule:
    """How one value varies. A grid (`start`, `step`, `size` points, whole numbers when
    `integer`) or `choices`; `shape` the shape drawn, () for one number, None for the nesting
    of the value the file has (`current`)."""

    path: str
    keys: tuple[Key, ...]
    start: Decimal | None = None
    step: Decimal | None = None
    size: int = 0
    integer: bool = False
    choices: tuple[Any, ...] = ()
    shape: tuple[int, ...] | None = None
    current: Any = None
    line: int | None = None


@dataclass(frozen=True)
class VariantSpec:
    rules: tuple[Rule, ...]
    conditions: tuple[str, ...]
    description: str | None
    line: int | None = None
    """The line of `conditions` (or of the table), for an error about them."""


def read_spec(data: dict, path: str, text: str | None) -> VariantSpec:
    """The spec in `data` (a parsed exercise file); ExerciseError when it has none or it is wrong."""
    read = FieldReader(path, text)
    if TABLE not in data:
        raise ExerciseError("no [variants] table: add one saying which numbers vary (README \"Variants\")",
                            file=path, key=TABLE)
    table = data[TABLE]
    if not isinstance(table, dict):
        raise read.error(TABLE, f"expected a table, got {describe(table)}")
    rules = tuple(_rule(read, data, key, value) for key, value in table.items() if key not in RESERVED)
    if not rules:
        raise read.error(TABLE, 'expected at least one quoted key path, e.g. "parameters.w" = { from = -1, to = 1, '
                                "step = 0.1 }")
    seen: set[tuple[Key, ...]] = set()
    for rule in rules:
        if rule.keys in seen:
            raise _error(read, rule.path, "", "the same value is varied twice")
        seen.add(rule.keys)
    conditions = table.get("conditions", [])
    if not isinstance(conditions, list):
        raise read.error(f"{TABLE}.conditions", f"expected a list of condition names, got {describe(conditions)}")
    for index, name in enumerate(conditions):
        if not isinstance(name, str) or name not in CONDITIONS:
            raise read.error(f"{TABLE}.conditions[{index}]", f"unknown condition {describe(name)}"
                             f"{closest(str(name), CONDITIONS)}; expected one of {', '.join(CONDITIONS)}")
    description = read.text(table, "description", TABLE, "", maximum=20_000) if "description" in table else None
    line = locate(text, f"{TABLE}.conditions") if text is not None else None
    return VariantSpec(rules, tuple(dict.fromkeys(conditions)), description, line)


def _rule(read: FieldReader, data: dict, path: str, value: Any) -> Rule:
    keys = parse_path(path)
    if keys is None or keys[0] == TABLE:
        raise _error(read, path, "", "expected a key path such as \"network.layers[0].weights\" or \"parameters.w\"")
    if not isinstance(value, dict):
        raise _error(read, path, "", "expected { from = …, to = …, step = … } or { choices = […] }, got "
                                     f"{describe(value)}")
    unknown = sorted(set(value) - RULE_KEYS)
    if unknown:
        raise _error(read, path, unknown[0], f"unknown key{closest(unknown[0], RULE_KEYS)}; expected one of "
                                             f"{', '.join(sorted(RULE_KEYS))}")
    shape = _shape(read, path, value["shape"]) if "shape" in value else None
    found, current = lookup(data, keys)
    if not found:
        parent_found, parent = lookup(data, keys[:-1])
        settable = parent_found and isinstance(parent, dict) and isinstance(keys[-1], str)
        if settable and shape is None:
            raise _error(read, path, "", "the exercise file does not write this key (it is left to its default); "
                                         "to vary it, give the shape of its value, e.g. shape = [3, 5]")
        if not settable:
            # a path under [variants] itself is never one to vary: the spec is not the exercise
            raise _error(read, path, "", f"the exercise has no such key{suggestion(path, data, (TABLE,))}")
    elif shape is None:
        problem = _leaves_problem(current)
        if problem:
            raise _error(read, path, "", problem)
    if "choices" in value:
        if set(value) & {"from", "to", "step"}:
            raise _error(read, path, "choices", "give choices, or from, to and step, not both")
        return Rule(path, keys, choices=_choices(read, path, value["choices"]), shape=shape, current=current,
                    line=_line(read.source, path))
    return _grid(read, path, keys, value, shape, current)


def _grid(read: FieldReader, path: str, keys, value: dict, shape, current) -> Rule:
    for key in ("from", "to"):
        if key not in value:
            raise _error(read, path, key, "expected a number (a range needs from and to), or choices = […]")
    start, stop = (_number(read, path, key, value[key]) for key in ("from", "to"))
    whole = isinstance(value["from"], int) and isinstance(value["to"], int)
    if "step" not in value and not whole:
        raise _error(read, path, "step", "expected a number: a range of decimals needs a step, e.g. step = 0.1")
    step = _number(read, path, "step", value.get("step", 1))
    if step <= 0:
        raise _error(read, path, "step", f"expected a step above 0, got {value.get('step')}")
    if stop < start:
        raise _error(read, path, "to", f"the range is empty: to = {value['to']} is below from = {value['from']}")
    with localcontext() as exact:  # every digit: from, to and step are at most 10¹² and at least 10⁻³⁰⁸ apart
        exact.prec = 700
        size = int((stop - start) // step) + 1
    if size > MAX_GRID:
        raise _error(read, path, "step", f"a step of {value['step']} makes {_about(size)} values from {value['from']} to "
                                         f"{value['to']}; expected at most {MAX_GRID:.0e} (a coarser step)")
    integer = isinstance(value["from"], int) and isinstance(value.get("step", 1), int)
    return Rule(path, keys, start=start, step=step, size=size, integer=integer, shape=shape, current=current,
                line=_line(read.source, path))


def _about(count: int) -> str:
    """A count to two figures, 2e+30, however large (a float holds only up to about 1e308)."""
    return f"{count:.2g}" if count.bit_length() < 1000 else f"{Decimal(count):.1e}".replace(".0e", "e")


def _number(read: FieldReader, path: str, key: str, value: Any) -> Decimal:
    """A number as the decimal it was written as (0.1 is exactly 1/10 here)."""
    try:
        read.number(value, f'{TABLE}."{path}".{key}')  # a number, finite, not huge
    except ExerciseError as error:  # said at the rule's own line, not the [variants] header's
        raise _error(read, path, key, error.message) from None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _choices(read: FieldReader, path: str, choices: Any) -> tuple[Any, ...]:
    if not isinstance(choices, list) or not choices:
        raise _error(read, path, "choices", f"expected a list of one or more values, got {describe(choices)}")
    if len(choices) > MAX_CHOICES:
        raise _error(read, path, "choices", f"expected at most {MAX_CHOICES:,} choices, got {len(choices):,}")
    for index, choice in enumerate(choices):
        problem = _leaves_problem(choice)
        if problem:
            raise _error(read, path, f"choices[{index}]", problem)
        _check_numbers(read, f'{TABLE}."{path}".choices[{index}]', choice)
    return tuple(choices)


def _check_numbers(read: FieldReader, key: str, value: Any) -> None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_numbers(read, f"{key}[{index}]", item)
    elif _is_number(value):
        read.number(value, key)
    elif isinstance(value, str) and len(value) > MAX_TEXT:
        raise read.error(key, f"expected at most {MAX_TEXT} characters, got {len(value):,}")


def _leaves_problem(value: Any, depth: int = 0) -> str | None:
    """Why `value` is not a number, text, true/false or a list (of lists) of them, or None."""
    if isinstance(value, dict):
        return "expected a value made of numbers, text or lists of them, got a table"
    if isinstance(value, list):
        if depth >= 2 or _count(value) > MAX_ENTRIES:
            return f"expected a number, a list or a matrix of at most {MAX_ENTRIES:,} entries, got {describe(value)}"
        return next((problem for item in value if (problem := _leaves_problem(item, depth + 1))), None)
    return None


def _count(value: Any) -> int:
    return sum(len(item) if isinstance(item, list) else 1 for item in value)


def _shape(read: FieldReader, path: str, shape: Any) -> tuple[int, ...]:
    if (not isinstance(shape, list) or len(shape) > 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_ENTRIES for n in shape)
            or (len(shape) == 2 and shape[0] * shape[1] > MAX_ENTRIES)):
        raise _error(read, path, "shape", f"expected [], [n] (a list) or [rows, columns] (a matrix), at most "
                                          f"{MAX_ENTRIES:,} entries, got {describe(shape)}")
    return tuple(shape)


def _error(read: FieldReader, path: str, key: str, message: str) -> ExerciseError:
    """An error at `variants."PATH".KEY`, on the line where that path is written."""
    where = f'{TABLE}."{path}"' + (f".{key}" if key else "")
    return ExerciseError(message, file=read.path, key=where, line=_line(read.source, path))


def _line(text: str | None, path: str) -> int | None:
    if text is None:
        return None
    key = re.compile(r"\s*[\"']" + re.escape(path) + r"[\"']\s*=")
    found = next((number for number, line in enumerate(text.splitlines(), 1) if key.match(line)), None)
    return found or locate(text, f"{TABLE}.{path}" if _BARE.fullmatch(path) else TABLE)
