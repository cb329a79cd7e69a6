"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): a question category, then one Cloze
(embedded answers, ``type="cloze"``) question per worked solution.

A question states its exercise: the title, the description, and the given values in LaTeX between
``\\(`` and ``\\)`` for Moodle's MathJax filter; then, for every step in `ask`, one numerical blank
per entry laid out like the vector or matrix (solver/render/cloze.py). The general feedback shown
after an attempt has the asked steps' true values. Text from the exercise file is HTML-escaped;
ElementTree escapes the XML. Text from the exercise file has its braces written as character
references, so that it cannot open a blank; the LaTeX that format.py makes has braces but never
the ``{N:TYPE:`` that starts one (a symbol has no colon).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import numpy as np

from solver.engine import solve
from solver.engine.slips import Slip
from solver.engine.steps import Solution, Step
from solver.errors import SolverError
from solver.kinds import kind
from solver.render.cloze import ZERO, Answer, blank, tolerances
from solver.render.format import NumberFormat, matrix, shown

CATEGORY_ROOT = "$course$/top/byhand"
PENALTY = "0.3333333"
"""The fraction of a mark lost per extra try in an interactive quiz: Moodle's default."""


def moodle_xml(solutions: Sequence[Solution], ask: Sequence[str], digits: int, category: str) -> str:
    """The quiz: category `category` (under $course$/top/byhand), one question per solution."""
    quiz = ET.Element("quiz")
    heading = ET.SubElement(ET.SubElement(quiz, "question", type="category"), "category")
    ET.SubElement(heading, "text").text = f"{CATEGORY_ROOT}/{category.replace('/', '//')}"
    for solution in solutions:
        _question(quiz, solution, ask, digits)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _question(quiz: ET.Element, solution: Solution, ask: Sequence[str], digits: int) -> None:
    exercise = solution.exercise
    question = ET.SubElement(quiz, "question", type="cloze")
    ET.SubElement(ET.SubElement(question, "name"), "text").text = exercise.title
    _html(question, "questiontext", _statement(solution, ask, digits))
    _html(question, "generalfeedback", _worked(solution, ask, digits))
    ET.SubElement(question, "penalty").text = PENALTY
    ET.SubElement(question, "hidden").text = "0"


def _html(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(ET.SubElement(parent, tag, format="html"), "text").text = text


def _statement(solution: Solution, ask: Sequence[str], digits: int) -> str:
    exercise = solution.exercise
    style = _style(exercise, digits)
    lines = [f"<p><strong>{_prose(exercise.title)}</strong></p>"]
    if exercise.description:
        lines.append(f"<p>{_prose(exercise.description)}</p>")
    given = _given(solution)
    if given:
        lines.append("<p>Given:</p>")
        lines += [f"<p>{_math(step, style)} <small>({html.escape(step.id)})</small></p>" for step in given]
    lines.append(f"<p>Give each number to {digits} significant figures.</p>")
    slipped = _slipped(solution)
    for step_id in ask:
        step = solution.step(step_id)
        lines.append(f"<p>\\({html.escape(step.symbol)}\\) <small>({html.escape(step.id)})</small>:</p>")
        lines.append(_blanks(step, slipped, digits, style.whole_numbers))
    return "\n".join(lines)


def _prose(text: str) -> str:
    """Text from the exercise file as HTML in which Moodle finds no blank: braces as character
    references, so that "{1:NUMERICAL:=5}" in a title stays text (the browser shows the braces)."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def _given(solution: Solution) -> list[Step]:
    """The given steps a student needs: not those a part that starts from the previous one's
    results carries over (b.W1 is a.W1_new: showing it would give the answer away)."""
    starts = {part.name: part.start for part in solution.exercise.parts}
    seen: set[str] = set()
    shown_steps = []
    for step in solution.steps:
        quantity = step.id.partition(".")[2]
        if step.section == "given" and not (starts.get(step.part) == "previous" and quantity in seen):
            shown_steps.append(step)
        seen.add(quantity)
    return shown_steps


def _slipped(solution: Solution) -> list[tuple[Slip, Solution]]:
    """The exercise worked once with each slip its kind can make (a slip that cannot happen
    here, such as W used for Wᵀ when W is not square, is left out)."""
    exercise = solution.exercise
    worked = []
    for slip in kind(exercise.kind).slips(exercise):
        try:
            with np.errstate(all="ignore"):
                worked.append((slip, solve(exercise, slip=slip, require_finite=False)))
        except (ValueError, SolverError):
            continue
    return worked


def _blanks(step: Step, slipped: list[tuple[Slip, Solution]], digits: int, whole_numbers: bool) -> str:
    """A table of blanks shaped like the step's value (a column, a matrix), or one blank."""
    value = step.value.reshape(step.value.shape[0] if step.value.ndim else 1, -1)  # a number, a column: 1 column
    own = tolerances(value, digits, whole_numbers)
    wrong = _slip_values(step, slipped, own, digits, whole_numbers)
    cells = [blank([Answer(0.0 if abs(v) < ZERO else float(v), t, 100, "Correct."), *wrong[i]], digits)
             for i, (v, t) in enumerate(zip(value.ravel(), own))]
    if len(cells) == 1:
        return f"<p>{cells[0]}</p>"
    columns = value.shape[1]
    rows = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in cells[r : r + columns]) + "</tr>"
            for r in range(0, len(cells), columns)]
    return "<table>" + "".join(rows) + "</table>"


def _slip_values(step: Step, slipped: list[tuple[Slip, Solution]], own: list[float], digits: int,
                 whole_numbers: bool) -> list[list[Answer]]:
    """For each entry, the wrong answers the slips give (0 credit, the slip as feedback), each
    judged to the same significant figures: a value within the tolerance of the true one is left
    out, and slips that give the same value share one answer."""
    found: list[list[Answer]] = [[] for _ in own]
    for slip, variant in slipped:
        if step.id not in variant or variant[step.id].shape != step.value.shape:
            continue  # this slip leaves the step out (a bias not updated has no update)
        for i, (true, wrong) in enumerate(zip(step.value.ravel(), variant[step.id].ravel())):
            true, wrong = float(true), float(wrong)
            if not np.isfinite(wrong) or abs(wrong - true) <= own[i]:
                continue
            if abs(wrong) < ZERO:
                wrong, tolerance = 0.0, own[i]
            else:
                tolerance = tolerances(np.array([wrong]), digits, whole_numbers)[0]
            same = next((n for n, answer in enumerate(found[i]) if abs(answer.value - wrong) <= answer.tolerance), None)
            if same is None:
                found[i].append(Answer(wrong, tolerance, 0, f"Likely slip: {slip.description}."))
            elif slip.description not in found[i][same].feedback:
                earlier = found[i][same]
                found[i][same] = Answer(earlier.value, earlier.tolerance, 0,
                                        f"{earlier.feedback[:-1]}; or {slip.description}.")
    return found


def _worked(solution: Solution, ask: Sequence[str], digits: int) -> str:
    style = _style(solution.exercise, digits)
    lines = ["<p>The worked values:</p>"]
    lines += [f"<p>{_math(solution.step(step_id), style)}</p>" for step_id in ask]
    return "\n".join(lines)


def _math(step: Step, style: NumberFormat) -> str:
    return html.escape(f"\\({step.symbol} = {matrix(shown(step), style)}\\)")


def _style(exercise, digits: int) -> NumberFormat:
    return NumberFormat(precision=digits, whole_numbers=kind(exercise.kind).whole_numbers)
