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
from solver.render.diagram import Diagram
from solver.render.format import EDGE_ITEMS, ELIDE_ABOVE, NumberFormat, elided_shape, matrix
from solver.render.formula_latex import FormulaPrinter

SECTION_TITLES = {
    "given": "Given",
    "initialization": "Initialisation",
    "look-ahead": "Look-ahead point",
    "forward": "Forward pass",
    "loss": "Loss",
    "objective": "Objective",
    "backward": "Backward pass",
    "gradients": "Gradients",
    "regularization": "Regularisation",
    "gradient check": "Gradient check",
    "clipping": "Gradient clipping",
    "update": "Update",
    "class": "Class",
    "schedule": "Learning rate",
    "epoch": "Losses after the epoch",
    "closed form": "Closed form",
    "prediction": "Prediction",
    "error": "Error",
    "changes": "Updates in the epoch",
    "check": "Check: the final weights on every sample",
    "separability": "Linear separability",
    "distances": "Distances",
    "neighbours": "Nearest neighbours",
    "vote": "Vote",
    "size": "Output size",
    "inputs": "Inputs",
    "parameters": "Parameters",
    "connections": "Connections and activations",
    "totals": "Totals",
    "shares": "Where the parameters are",
    "comparison": "Comparison",
    "normal equations": "Normal equations",
    "inverse": "Inverse",
    "solution": "Least-squares solution",
    "counts": "Counts",
    "likelihood": "Likelihood of each candidate",
    "estimate": "Maximum-likelihood estimate",
    "class statistics": "Mean and covariance",
    "density": "Class densities",
}
SUMMARY_KINDS = frozenset({"loss", "updated weights", "updated biases", "updated parameter"})
"""What a compact iteration shows (detail = "first" or "summary"): its loss and updated values."""

ELISION = (f"A vector or matrix with more than {ELIDE_ABOVE} rows or columns shows its first and last {EDGE_ITEMS} "
           r"of them, with $\vdots$, $\cdots$ and $\ddots$ for the rest (as NumPy prints a large array); "
           "`byhand solve --full` writes every entry, and `--format json` always holds every value.")
"""Said on a sheet where large matrices are elided."""

GROUP_HEADINGS = {"s": "Sample", "q": "Query", "t": "Iteration", "e": "Epoch", "l": "Layer", "c": "Class"}
"""The heading of a group by the first letter of its name: s2 is "Sample 2"."""


@dataclass(frozen=True)
class Equation:
    """`symbol` = `lines[0]` = `lines[1]` …, each line already LaTeX."""

    step_id: str
    symbol: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of numbers under a title: LaTeX headers and rows of LaTeX cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = "Per epoch"


@dataclass(frozen=True)
class Block:
    """Equations under one title; `compact` when each is a single value (shown as one display).
    `table`: the rest of the section's steps as one table (Kind.section_table), after the
    equations of the first, which is worked in full."""

    title: str
    equations: tuple[Equation, ...]
    table: Table | None = None

    @property
    def compact(self) -> bool:
        return all(len(equation.lines) == 1 for equation in self.equations)


@dataclass(frozen=True)
class Group:
    heading: str
    blocks: tuple[Block, ...]
    table: Table | None = None
    """The group written as one table (Kind.group_table) instead of blocks."""


@dataclass(frozen=True)
class PartView:
    name: str
    title: str
    facts: tuple[str, ...]
    groups: tuple[Group, ...]
    table: Table | None = None
    picture: Diagram | None = None


@dataclass(frozen=True)
class SheetView:
    title: str
    source: str
    description: str
    setup_heading: str
    setup: tuple[str, ...]
    conventions: tuple[str, ...]
    parts: tuple[PartView, ...]
    matrix_columns: int = 10
    """The widest matrix on the sheet (a step or its transpose), for LaTeX's MaxMatrixCols."""
    picture: Diagram | None = None
    """A picture of what is given (an MLP's network)."""

    @property
    def pictures(self) -> tuple[Diagram, ...]:
        """Every picture on the sheet, in order."""
        return tuple(p for p in (self.picture, *(part.picture for part in self.parts)) if p is not None)


def sheet_view(solution: Solution, precision: int | None = None, full: bool = False) -> SheetView:
    """Everything a template needs, numbers and formulas already written out; large matrices
    elided unless `full`."""
    exercise = solution.exercise
    exercise_kind = kind(exercise.kind)
    large = any(max(step.value.shape, default=0) > ELIDE_ABOVE for step in solution.steps)
    style = NumberFormat(precision=precision or exercise.precision, whole_numbers=exercise_kind.whole_numbers,
                         elide=large and not full, fractions=exercise.number_format == "fraction")
    printer = FormulaPrinter({step.id: step for step in solution.steps}, style)
    parts = []
    for part in exercise.parts:
        steps = [step for step in solution.steps if step.part == part.name]
        derived = exercise_kind.derived_blocks(exercise, part)
        groups = []
        worked: dict[str, str] = {}  # the first group of each kind ("t", "e"): the one worked in full
        summarized = False
        tabulate = None if exercise_kind.section_table is None else (
            lambda section, section_steps, part=part: exercise_kind.section_table(exercise, part, section,
                                                                                section_steps, style))
        for top, top_steps in groupby(steps, key=lambda step: step.group.partition(".")[0]):
            top_steps = list(top_steps)
            table = None
            if exercise_kind.group_table is not None and top:
                table = exercise_kind.group_table(exercise, part, top, top_steps, style)
            if table is not None:
                groups.append(Group(_group_heading(top), (), table))
                continue
            for group, group_steps in groupby(top_steps, key=lambda step: step.group):
                group_steps = list(group_steps)
                if _in_full(group, getattr(part, "detail", "all"), worked):
                    blocks, derived = _place(_blocks(group_steps, printer, tabulate, exercise_kind.one_line_equations), derived)
                elif group.startswith("e"):
                    continue  # the table at the end of the part has it
                else:
                    blocks = _summary(group_steps, printer)
                    summarized = True
                groups.append(Group(_group_heading(group), blocks))
        facts = exercise_kind.part_facts(exercise, part, style) + ((SUMMARY_FACTS[part.detail],) if summarized else ())
        if part.conventions != exercise.parts[0].conventions:
            facts += ("In this part: " + " ".join(_convention_facts(exercise_kind, part.conventions)),)
        if exercise_kind.part_table is not None:
            table = exercise_kind.part_table(exercise, part, steps, style)
        else:
            table = _epoch_table(steps, style)
        picture = exercise_kind.picture(exercise, part, printer.steps)
        parts.append(PartView(part.name, part.title, facts, tuple(groups), table, picture))
    return SheetView(
        title=exercise.title.strip(),
        source=exercise.source.strip(),
        description=exercise.description.strip(),
        setup_heading=exercise_kind.setup_heading,
        setup=exercise_kind.setup_facts(exercise, style),
        conventions=_convention_facts(exercise_kind, exercise.parts[0].conventions) + ((ELISION,) if style.elide else ()),
        parts=tuple(parts),
        matrix_columns=max([10, *(max(elided_shape(step.value.shape) if style.elide else step.value.shape)
                                  for step in solution.steps if step.value.ndim == 2)]),
        picture=exercise_kind.setup_picture(exercise),
    )


def _convention_facts(exercise_kind, conventions) -> tuple[str, ...]:
    """The kind's sentences about `conventions`, then the textbook rounding, for any kind whose
    conventions have it (solver/rounding.py)."""
    rounding = getattr(conventions, "rounding", None)
    return exercise_kind.convention_facts(conventions) + ((rounding.sentence(),) if rounding else ())


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


def _blocks(steps: list[Step], printer: FormulaPrinter, tabulate=None, one_line: bool = False) -> tuple[Block, ...]:
    """A block per section; a section its kind writes as a table has its first step worked in full
    and the table after it."""
    blocks = []
    for section, section_steps in groupby(steps, key=lambda step: step.section):
        section_steps = list(section_steps)
        table = tabulate(section, section_steps) if tabulate is not None else None
        shown = section_steps[:1] if table is not None else section_steps
        blocks.append(Block(SECTION_TITLES[section], tuple(_equation(step, printer, one_line) for step in shown), table))
    return tuple(blocks)


SUMMARY_FACTS = {
    "first": "After the first, an iteration shows its results only, worked as the first is; "
             '`detail = "all"` in the part writes every step.',
    "summary": 'Every iteration shows its results only; `detail = "all"` in the part writes every step.',
}
"""Said once in a part some of whose iterations show their results only (by its `detail`): the
template still asks for their every step."""


def _in_full(group: str, detail: str, worked: dict[str, str]) -> bool:
    """Whether `group` is worked in full: always with detail "all", never an iteration or epoch
    with "summary", and with "first" only the first iteration and the first epoch."""
    repeated = group[:1] in ("s", "t", "e") and group[1:].isdigit()
    if not repeated or detail == "all":
        return True
    return detail != "summary" and worked.setdefault(group[:1], group) == group


def _summary(steps: list[Step], printer: FormulaPrinter) -> tuple[Block, ...]:
    """A compact iteration: its loss and updated values, each as a single value."""
    shown = [step for step in steps if step.kind in SUMMARY_KINDS]
    return (Block("Result", tuple(Equation(step.id, step.symbol, (printer.result(step),)) for step in shown)),)


def _epoch_table(steps: list[Step], style: NumberFormat) -> Table | None:
    """One row per epoch of the numbers recorded for it (learning rate, losses), if any."""
    epochs = [step for step in steps if step.group[:1] == "e" and step.group[1:].isdigit() and step.value.size == 1]
    if not epochs:
        return None
    columns = list(dict.fromkeys(step.id.rpartition(".")[2] for step in epochs))
    symbols = {step.id.rpartition(".")[2]: step.symbol for step in epochs}
    rows = []
    for group, group_steps in groupby(epochs, key=lambda step: step.group):
        values = {step.id.rpartition(".")[2]: matrix(step.value, style) for step in group_steps}
        rows.append((group[1:], *(values.get(column, "") for column in columns)))
    return Table(("e", *(symbols[column] for column in columns)), tuple(rows))


def _equation(step: Step, printer: FormulaPrinter, one_line: bool = False) -> Equation:
    result = printer.result(step)
    if step.formula is None:
        return Equation(step.id, step.symbol, (result,))
    lines = [printer.symbolic(step.formula)]
    if step.formula.substitute:
        lines.append(printer.substituted(step.formula))
    lines.append(result)
    # a line that only repeats the one before it (db = delta) says nothing new
    distinct = [line for index, line in enumerate(lines) if index == 0 or line != lines[index - 1]]
    # a formula broken over several lines (a long sum) keeps its lines
    joined = one_line and not any(r"\\" in line for line in distinct)
    return Equation(step.id, step.symbol, (" = ".join(distinct),) if joined else tuple(distinct))


def _group_heading(group: str) -> str:
    """"Sample 2" for s2; a nested group e1.s2 is "Epoch 1, sample 2"."""
    words = []
    for piece in group.split("."):
        word = GROUP_HEADINGS.get(piece[:1])
        if not word:
            return ""
        words.append(f"{word if not words else word.lower()} {piece[1:]}")
    return ", ".join(words)
