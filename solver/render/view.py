"""Solution → a view of finished strings that the templates only place.

A sheet is a title and some prose about what is given (the network, …), then for each part the
groups of its calculation (the training update, each sample or iteration, each query), each made
of blocks (Given, Forward pass, Loss, ...) of equations. An equation is the three lines a
careful hand solution writes: the general formula, the numbers substituted, the result.
The prose and any derived blocks come from the exercise's kind (its view hooks, see
solver/kinds/__init__.py); nothing here depends on which kind it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from solver.engine.steps import Solution, Step
from solver.kinds import kind
from solver.render.format import FormulaPrinter, NumberFormat

SECTION_TITLES = {
    "given": "Given",
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass",
    "gradients": "Gradients",
    "update": "Update",
    "class": "Class",
}

GROUP_HEADINGS = {"s": "Sample", "q": "Query", "t": "Iteration", "e": "Epoch"}
"""The heading of a group by the first letter of its name: s2 is "Sample 2"."""


@dataclass(frozen=True)
class Equation:
    """`symbol` = `lines[0]` = `lines[1]` …, each line already LaTeX."""

    step_id: str
    symbol: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """Equations under one title; `compact` when each is a single value (shown as one display)."""

    title: str
    equations: tuple[Equation, ...]

    @property
    def compact(self) -> bool:
        return all(len(equation.lines) == 1 for equation in self.equations)


@dataclass(frozen=True)
class Group:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PartView:
    name: str
    title: str
    facts: tuple[str, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class SheetView:
    title: str
    source: str
    description: str
    setup_heading: str
    setup: tuple[str, ...]
    conventions: tuple[str, ...]
    parts: tuple[PartView, ...]


def sheet_view(solution: Solution, precision: int | None = None) -> SheetView:
    """Everything a template needs, numbers and formulas already written out."""
    exercise = solution.exercise
    exercise_kind = kind(exercise.kind)
    style = NumberFormat(precision=precision or exercise.precision)
    printer = FormulaPrinter({step.id: step for step in solution.steps}, style)
    parts = []
    for part in exercise.parts:
        steps = [step for step in solution.steps if step.part == part.name]
        derived = exercise_kind.derived_blocks(exercise, part)
        groups = []
        for group, group_steps in groupby(steps, key=lambda step: step.group):
            blocks, derived = _place(_blocks(list(group_steps), printer), derived)
            groups.append(Group(_group_heading(group), blocks))
        facts = exercise_kind.part_facts(exercise, part, style)
        if part.conventions != exercise.parts[0].conventions:
            facts += ("In this part: " + " ".join(exercise_kind.convention_facts(part.conventions)),)
        parts.append(PartView(part.name, part.title, facts, tuple(groups)))
    return SheetView(
        title=exercise.title,
        source=exercise.source,
        description=exercise.description,
        setup_heading=exercise_kind.setup_heading,
        setup=exercise_kind.setup_facts(exercise, style),
        conventions=exercise_kind.convention_facts(exercise.parts[0].conventions),
        parts=tuple(parts),
    )


def _place(blocks: tuple[Block, ...], derived: tuple[tuple[str, Block], ...]
           ) -> tuple[tuple[Block, ...], tuple[tuple[str, Block], ...]]:
    """`blocks` with each derived block put before the first block titled as it asks, and the
    derived blocks whose title is not among them: they wait for a later group (once per part)."""
    waiting = []
    for before, block in derived:
        at = next((i for i, existing in enumerate(blocks) if existing.title == before), None)
        if at is None:
            waiting.append((before, block))
        else:
            blocks = (*blocks[:at], block, *blocks[at:])
    return blocks, tuple(waiting)


def _blocks(steps: list[Step], printer: FormulaPrinter) -> tuple[Block, ...]:
    return tuple(
        Block(SECTION_TITLES[section], tuple(_equation(step, printer) for step in section_steps))
        for section, section_steps in groupby(steps, key=lambda step: step.section)
    )


def _equation(step: Step, printer: FormulaPrinter) -> Equation:
    result = printer.result(step)
    if step.formula is None:
        return Equation(step.id, step.symbol, (result,))
    lines = [printer.symbolic(step.formula)]
    if step.formula.substitute:
        lines.append(printer.substituted(step.formula))
    lines.append(result)
    # a line that only repeats the one before it (db = delta) says nothing new
    distinct = [line for index, line in enumerate(lines) if index == 0 or line != lines[index - 1]]
    return Equation(step.id, step.symbol, tuple(distinct))


def _group_heading(group: str) -> str:
    word = GROUP_HEADINGS.get(group[:1])
    return f"{word} {group[1:]}" if word else ""
