"""A sentence of the view is plain prose with $math$ and `code`: each format's `sentence` filter
escapes the prose for itself and keeps the math, so the view writes no escape of any format."""

import pytest

from solver.render.environment import latex_sentence, markdown_sentence

SENTENCE = r'The loss (loss_factor = 0.5, exact = "auto") is $\frac{1}{2} x_{i}^{2}$; `byhand solve --full` shows it.'


def test_markdown_escapes_the_prose_and_keeps_math_and_code():
    assert markdown_sentence(SENTENCE) == (r'The loss (loss\_factor = 0.5, exact = "auto") is '
                                           r"$\frac{1}{2} x_{i}^{2}$; `byhand solve --full` shows it.")


def test_latex_escapes_the_prose_and_sets_code_in_typewriter_type():
    assert latex_sentence(SENTENCE) == (r"The loss (loss\byhandchar{005F}{\texttt{\char95}}factor = 0.5, "
                                        r"exact = \texttt{\char34}auto\texttt{\char34}) is "
                                        r"$\frac{1}{2} x_{i}^{2}$; \texttt{byhand solve -{}-full} shows it.")


@pytest.mark.parametrize("sentence, markdown, latex", [
    ("1. is a list in Markdown", r"1\. is a list in Markdown", "1. is a list in Markdown"),
    ("- a rule or a list", r"\- a rule or a list", "- a rule or a list"),
    ("a*b_c & 100% #1 ~ ^", r"a\*b\_c &amp; 100% \#1 \~ ^",
     r"a*b\byhandchar{005F}{\texttt{\char95}}c \& 100\% \#1 \byhandchar{007E}{\texttt{\char126}} "
     r"\byhandchar{005E}{\texttt{\char94}}"),
    ("two\nlines", "two lines", "two lines"),
])
def test_specials_of_each_format(sentence, markdown, latex):
    assert markdown_sentence(sentence) == markdown
    assert latex_sentence(sentence) == latex
