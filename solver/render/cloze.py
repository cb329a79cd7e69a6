"""One blank of a Moodle Cloze question for each entry of an asked step: the true value with its
tolerance, and the values typical slips give with 0 credit and the slip as feedback.

Syntax (https://docs.moodle.org/en/Embedded_Answers_(Cloze)_question_type):
``{1:NUMERICAL:=0.541144:0.0000005#Correct.~%0%0.6:0.00005#Likely slip: …}``: `=` marks the
answer worth full marks, ``%0%`` one worth none; each answer is ``value:tolerance#feedback``,
answers are separated by ``~``, and Moodle takes the first answer a response is within the
tolerance of, so the true value comes first.

Tolerance: a student gives `digits` significant figures, so an answer is right within half a unit
of the last of them: 0.541144 ± 0.0000005. A value a sheet prints as 0 (below 10⁻¹², noise) is 0,
judged at the finest tolerance of the other entries of its step (else half a unit of the
`digits`-th decimal), so that 0 is not accepted for a small non-zero value, nor every answer
refused for a true 0. A whole number in a kind of counts is judged to ±0.5: every digit counts.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from solver.render.format import positional

ZERO = 1e-12
_CLOZE_SPECIAL = '\\}#~/"'


@dataclass(frozen=True)
class Answer:
    value: float
    tolerance: float
    credit: int
    feedback: str


def tolerances(values: np.ndarray, digits: int, whole_numbers: bool) -> list[float]:
    """The tolerance of each entry of a step (row-major), as the module docstring says."""
    flat = [float(v) for v in np.ravel(values)]
    own = [_tolerance(v, digits, whole_numbers) for v in flat]
    finest = min((t for t in own if t is not None), default=0.5 * 10.0 ** -digits)
    return [finest if t is None else t for t in own]


def _tolerance(value: float, digits: int, whole_numbers: bool) -> float | None:
    if abs(value) < ZERO:
        return None
    if whole_numbers and value.is_integer():
        return 0.5
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def blank(answers: list[Answer], digits: int) -> str:
    """The Cloze text of one blank (weight 1) with `answers`, the true one first."""
    parts = []
    for answer in answers:
        mark = "=" if answer.credit == 100 else f"%{answer.credit}%"
        value = positional(answer.value, digits + 4)  # the centre of the interval, more exact than asked
        parts.append(f"{mark}{value}:{positional(answer.tolerance, 3)}#{escape(answer.feedback)}")
    return "{1:NUMERICAL:" + "~".join(parts) + "}"


def escape(text: str) -> str:
    """Text for an answer's feedback: HTML-escaped (not the quotes: &#x27; would hold a #), then
    each character Cloze gives a meaning to (} # ~ / " \\) behind a backslash, as the Cloze
    documentation says."""
    text = html.escape(text, quote=False)
    return "".join("\\" + char if char in _CLOZE_SPECIAL else char for char in text)
