"""Kinds of exercise, by name: the registry the rest of byhand asks.

A kind is a reader, an engine and a few view hooks, in its own package solver/kinds/<kind>/ that
defines `KIND`. solver/exercise.py, solver/engine, solver/render and solver/check look the kind
of an exercise up here and call it; none of them branches on a kind's name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solver.conventions import Conventions
    from solver.engine.slips import Slip
    from solver.engine.steps import Solution, Step
    from solver.exercise import Exercise
    from solver.fields import FieldReader
    from solver.limits import Limits
    from solver.render.format import NumberFormat
    from solver.render.diagram import Diagram
    from solver.render.view import Block, Table


@dataclass(frozen=True)
class Kind:
    """One kind of exercise.

    keys: the top-level keys of an exercise file it reads, beside the header's.
    read(reader, data, limits) → (setup, parts): its given data and its parts, from the file's
        data without the header; problems raised as ExerciseError through `reader`.
    solve(exercise, overrides, slip, require_finite=…) → Solution: its engine (see solver.engine.solve).
    slips(exercise) → the slips its engine can make in this exercise, the ones a checker tries
        (each costs the checker two runs of the engine, so a slip that cannot change a number
        here is left out).

    What its sheets say around the steps (solver/render/view.py), each sentence with math between $…$:
    setup_heading: the heading over what is given, such as "The network".
    setup_facts(exercise, style): sentences about what is given.
    convention_facts(conventions): sentences about the conventions the sheet is written with.
    part_facts(exercise, part, style): sentences about how the part is worked.
    derived_blocks(exercise, part): (section title, block) pairs; each block is placed once per
        part, before the first block with that title.
    setup_picture(exercise) → a Diagram (solver/render/diagram.py) drawn under what is given, or None.
    picture(exercise, part, steps by id) → a Diagram drawn at the start of the part, or None.
    Kinds without pictures leave both out.
    whole_numbers: its steps are counts: a whole number prints with every digit (122{,}304),
        never rounded to the sheet's significant figures.
    one_line_equations: each equation is one line, formula = numbers = result, and a block of
        them one display (for short counts: a layer of a CNN reads like a hand-written page).
    part_table(exercise, part, steps, style) → Table or None: a table placed at the end of each
        part (the cnn kind's whole network, the perceptron's epochs); when a kind has none, the
        numbers recorded per epoch, if any, make the table.
    group_table(exercise, part, group, steps, style) → Table or None: the steps of one top-level
        group (e1, with its nested groups e1.s1, e1.s2, …) written as one table, one row per
        repeated calculation, instead of a block of equations per step (the perceptron's epochs,
        k-NN's distances); None writes the group's steps as equations. The step ids do not change.
    section_table(exercise, part, section, steps, style) → Table or None: the steps of one section
        of a group as a table (k-NN's distances, one row per point), placed after the first of them
        worked in full; None writes every step as equations.
    answer_template(solution) → the steps an answers template lists, in order, with comment lines
        (str) among them: a kind whose number of steps gives an answer away (how many epochs a
        perceptron takes) lists fewer and says how the others are named. Default: every step.
    json_header(exercise) → a dict of facts added to the JSON export's header, for a program to read
        the steps (the k-NN class names behind the class numbers); keys must not be the header's own.
    """

    name: str
    keys: frozenset[str]
    read: Callable[[FieldReader, dict, Limits], tuple[Any, tuple[Any, ...]]]
    solve: Callable[..., Solution]
    slips: Callable[[Exercise], tuple[Slip, ...]]
    setup_heading: str
    setup_facts: Callable[[Exercise, NumberFormat], tuple[str, ...]]
    convention_facts: Callable[[Conventions], tuple[str, ...]]
    part_facts: Callable[[Exercise, Any, NumberFormat], tuple[str, ...]]
    derived_blocks: Callable[[Exercise, Any], tuple[tuple[str, Block], ...]]
    setup_picture: Callable[[Exercise], Diagram | None] = lambda exercise: None
    picture: Callable[[Exercise, Any, Mapping[str, Step]], Diagram | None] = lambda exercise, part, steps: None
    whole_numbers: bool = False
    one_line_equations: bool = False
    part_table: Callable[..., Table | None] | None = None
    group_table: Callable[..., Table | None] | None = None
    section_table: Callable[..., Table | None] | None = None
    answer_template: Callable[[Solution], tuple[Step | str, ...]] = lambda solution: solution.steps
    json_header: Callable[[Exercise], dict[str, Any]] = lambda exercise: {}


class _Registry(Mapping[str, Kind]):
    """Kinds by name. A kind's package is imported when it is first looked up: it builds on
    solver.exercise, solver.engine and solver.render, which import this registry."""

    def __init__(self, names: tuple[str, ...]):
        self._names = names

    def __getitem__(self, name: str) -> Kind:
        if name not in self._names:
            raise KeyError(name)
        return importlib.import_module(f"{__name__}.{name}").KIND

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


KINDS: Mapping[str, Kind] = _Registry(("mlp", "optimizer", "graph", "batchnorm", "perceptron", "knn", "cnn", "least_squares",
                                               "mle"))


def kind(name: str) -> Kind:
    """The kind called `name` (KeyError when there is none; exercise files are checked on loading)."""
    return KINDS[name]
