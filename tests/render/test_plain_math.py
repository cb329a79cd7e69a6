"""Step symbols as plain text for the comments of answers templates and keys."""

import re

import pytest

import solver
from solver.check.template import answers_key, answers_template
from solver.render.plain_math import plain_math
from tests.conftest import EXERCISES


@pytest.mark.parametrize(
    "latex,text",
    [
        (r"\frac{\partial E}{\partial w^{[2]}}", "∂E/∂w^[2]"),
        (r"\sigma'\left(z^{[2]}\right)", "σ′(z^[2])"),
        (r"\delta^{[2]}", "δ^[2]"),
        (r"w^{[2]}_{\mathrm{new}}", "w^[2]_new"),
        (r"\hat{m}_{b^{[1]}}^{(1)}", "m\u0302_(b^[1])^(1)"),
        (r"\boldsymbol{\Sigma}_{1}^{-1}", "Σ_1^(-1)"),
        (r"\|W^{[1]}\|_F^2", "‖W^[1]‖_F^2"),
        (r"\frac{\partial \tilde{E}}{\partial b^{(1)}}", "∂E\u0303/∂b^(1)"),
        (r"\text{weights}^{[1]}", "weights^[1]"),
        (r"\operatorname{ReLU}'\left(z^{[1]}\right)", "ReLU′(z^[1])"),
        (r"\unknowncommand{x}", "unknowncommandx"),
        # a function name keeps its argument a word apart, whatever LaTeX's spacing was
        (r"\log p_{1}", "log p_1"),
        (r"\log L(\hat{\theta})", "log L(θ\u0302)"),
        (r"\log{p}", "log p"),
        (r"\ln 2", "ln 2"),
        (r"\exp\left(-x\right)", "exp(-x)"),
        (r"\exp \left. x", "exp x"),  # \left. is no bracket: nothing is written for it
        # a space before an operator is kept (LaTeX's control word eats it), not before a letter
        (r"\theta + x", "θ + x"),
        (r"{\bar{\sigma}^{2}}^{[1]}", "(σ\u0304^2)^[1]"),  # a script on a scripted group: the group in parentheses
        (r"{x_{1}}_{2}", "(x_1)_2"),
        (r"\lambda = 0", "λ = 0"),
        (r"\left.\frac{dy}{dx}\right|_{x=0}", "dy/dx|_(x=0)"),
        (r"\max_{i} x_{i}", "max_i x_i"),
        (r"\min\sigma", "min σ"),
        (r"\sin\theta \cdot \tanh z", "sin θ·tanh z"),
        (r"\log\log x", "log log x"),
        (r"\operatorname{Var} w", "Var w"),
        (r"\operatorname{tr}\left(W\right)", "tr(W)"),
        (r"\mathrm{d}x", "dx"),
        (r"\sum_{i} p_{i} \log p_{i}", "∑_i p_i log p_i"),
    ],
)
def test_plain_math(latex, text):
    assert plain_math(latex) == text


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.toml")), ids=lambda path: path.stem)
def test_template_and_key_comments_hold_no_latex(path):
    solution = solver.solve(solver.load(path))
    for document in (answers_template(solution, path.stem), answers_key(solution, path.stem)):
        comments = [line.split("#", 1)[1] for line in document.splitlines() if "#" in line]
        assert comments and not [comment for comment in comments if re.search(r"[\\{}]", comment)]


@pytest.mark.parametrize("name, comment", [
    ("mle-gaussian-2-classes", '"a.q1.lp1" = ""  # log p_1: a number'),
    ("mle-coin", '"a.logL_hat" = ""  # log L(θ\u0302): a number'),
])
def test_a_template_comment_keeps_log_apart_from_its_argument(name, comment):
    solution = solver.solve(name)
    assert comment in answers_template(solution, name).splitlines()


def test_every_letter_and_accent_a_notation_symbol_may_use_is_written_as_text():
    """[conventions.symbols] accepts these (solver/fields.py's grammar): none may reach a template as a command name."""
    from solver.fields import _ACCENTS, _GREEK

    for name in _GREEK:
        text = plain_math(rf"\{name}^{{[1]}}")
        assert name not in text and text.endswith("^[1]"), (name, text)
    for accent in _ACCENTS:
        text = plain_math(rf"\{accent}{{w}}_{{1}}")
        assert accent not in text and text.startswith("w") and len(text) == len("w") + 1 + len("_1"), (accent, text)
