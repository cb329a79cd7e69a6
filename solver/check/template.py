"""A blank answers file: every step a student computes, in sheet order, with its shape (or the
steps its kind chooses to list, Kind.answer_template)."""

from __future__ import annotations

from itertools import groupby

from solver.check.checker import describe_shape
from solver.engine.steps import Solution
from solver.kinds import kind
from solver.render.format import NumberFormat, plain_matrix
from solver.render.plain_math import plain_math
from solver.text import one_line


def answers_template(solution: Solution, exercise_name: str) -> str:
    """TOML with one `"id" = ""` line per computed step; given values are listed as comments."""
    exercise = solution.exercise
    lines = [
        f"# Answers for: {_comment(exercise.title)}",
        "# Fill in the values you computed and leave \"\" where you did not, then run:",
        f"#   byhand check {_comment(exercise_name)} THIS_FILE",
        "# A column is a list of numbers, [0.2, 0.2, 0.2]; a matrix is a list of rows, [[1, 2], [3, 4]];",
        "# a fraction may be written \"1/3\". The digits you write set the tolerance: 0.5498 is judged",
        "# to 4 significant figures (at least 3 count unless your value is exact: 1.41 for 1.41421, not 1),",
        "# and trailing zeros count (0.50: two decimals).",
    ]
    titles = {part.name: part.title for part in exercise.parts}
    part = None
    for item in kind(exercise.kind).answer_template(solution):
        if isinstance(item, str):  # the kind's word on steps it leaves out
            lines.append(f"# {_comment(item)}")
            continue
        if item.part != part:
            part = item.part
            lines += ["", f"# Part ({part}) {_comment(titles[part])}".rstrip()]
        shape = describe_shape(item.value.shape)
        if item.section == "given":
            lines.append(f"# given: {item.id} = {plain_math(item.symbol)}, {shape}")
        else:
            lines.append(f'"{item.id}" = ""  # {plain_math(item.symbol)}: {shape}')
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text that stays inside a one-line TOML comment: printable, on one line (TOML refuses a
    control character even in a comment, and a terminal would obey it)."""
    return one_line(text)


def answers_key(solution: Solution, exercise_name: str, precision: int | None = None) -> str:
    """The answers file a student who got everything right would write: every computed step's
    true value to the sheet's significant figures (`precision`, else the exercise's), whole
    numbers in full. Checked
    with `byhand check`, every step is correct; a grader compares students' files with it."""
    exercise = solution.exercise
    # a whole number (a count, a class) is written with every digit: it is exact; a TOML number
    # has no thousands separator
    style = NumberFormat(precision=precision or exercise.precision, whole_numbers=True, group_thousands=False)
    lines = [
        f"# Answer key for: {_comment(exercise.title)}",
        f"# Every step to {style.precision} significant figures; check it (or a student's answers) with:",
        f"#   byhand check {_comment(exercise_name)} THIS_FILE",
    ]
    for part, part_steps in groupby(solution.steps, key=lambda step: step.part):
        lines.append("")
        for step in part_steps:
            if step.section != "given":
                lines.append(f'"{step.id}" = {plain_matrix(step.value, None, style)}  # {_comment(plain_math(step.symbol))}')
    return "\n".join(lines) + "\n"
