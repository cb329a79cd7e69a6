"""The pieces of a Cloze blank: numbers without exponents, tolerances, escaping (Moodle's Cloze
documentation: https://docs.moodle.org/en/Embedded_Answers_(Cloze)_question_type)."""

import numpy as np
import pytest

from solver.render.cloze import Answer, blank, escape, tolerances
from solver.render.format import positional


@pytest.mark.parametrize("value, digits, text", [
    (5e-7, 3, "0.0000005"), (-0.1139371234, 6, "-0.113937"), (138357544.0, 6, "138357544"), (0.999999996, 6, "1"),
    (1.23e-8, 6, "0.0000000123"), (0.0, 3, "0"), (-0.0, 3, "0"), (2.5, 2, "2.5"), (1e20, 2, "100000000000000000000"),
])
def test_positional_never_writes_an_exponent(value, digits, text):
    assert positional(value, digits) == text


def test_tolerance_is_half_a_unit_of_the_last_figure_and_a_zero_takes_its_finest_neighbour():
    assert tolerances(np.array([0.541144, 0.0005057, 0.0, 12.5]), 6, False) == pytest.approx(
        [5e-7, 5e-10, 5e-10, 5e-5])
    assert tolerances(np.array([0.0, 0.0]), 4, False) == pytest.approx([5e-5, 5e-5])
    assert tolerances(np.array([138357544.0, 0.5]), 6, True) == pytest.approx([0.5, 5e-7])


def test_feedback_escapes_what_cloze_and_html_read():
    assert escape('a } b # c ~ d / e " f \\ g <h> & i') == 'a \\} b \\# c \\~ d \\/ e \\" f \\\\ g &lt;h&gt; &amp; i'
    assert "#" not in escape("'").replace("\\#", "")  # no &#x27; whose # would end the feedback


def test_a_blank_puts_the_true_answer_first():
    text = blank([Answer(0.5, 5e-7, 100, "Correct."), Answer(-0.25, 5e-7, 0, "Likely slip: 1/x.")], 6)
    assert text == "{1:NUMERICAL:=0.5:0.0000005#Correct.~%0%-0.25:0.0000005#Likely slip: 1\\/x.}"
