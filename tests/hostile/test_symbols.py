"""Notation symbols reach LaTeX as math, so they follow a small grammar (fields.SYMBOL_GRAMMAR).

TeX reads ``^^5c`` as a backslash before it reads commands, so a whitelist of characters is not
enough: the grammar is checked against a TeX-aware payload list, a random mix of TeX tokens, and
every accepted symbol is compiled with pdflatex in every place a sheet writes one.
"""

import random
import re
import subprocess
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.conventions import NOTATION_FIELDS
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from solver.fields import MAX_SYMBOL_LENGTH
from tests.conftest import EXERCISES, needs_pdflatex
from tests.hostile import FUZZ

SYMBOL_FIELDS = [name for name in NOTATION_FIELDS if not name.startswith("layer_")]
ALLOWED_COMMANDS = re.compile(
    r"\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|"
    r"varpi|rho|varrho|sigma|varsigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|"
    r"Sigma|Upsilon|Phi|Psi|Omega|ell|nabla|hat|tilde|bar|vec|dot|ddot|check|breve|widehat|widetilde|"
    r"overline|mathbf|mathrm|mathit|mathcal|mathsf|boldsymbol)(?![A-Za-z])"
)

PAYLOADS = [
    "t^^5cinput{^^2fetc^^2fpasswd}",  # ^^5c is a backslash to TeX
    "^^5cimmediate^^5copenout1=pwned",
    "t^^",
    "x^^M",
    r"\hat",
    r"\hat{}",
    r"\input{/etc/passwd}",
    r"\input /etc/passwd",
    r"\csname input\endcsname{/etc/passwd}",
    r"\catcode`\^=7",
    r"\immediate\write18{touch pwned}",
    r"\def\x{\x}\x",
    r"x^{\input{a}}",
    r"x_\input",
    r"\hat{\input}",
    r"\mathbf{\relax}",
    r"\thetax",
    r"\theta\theta",
    "x}{",
    "{",
    "}",
    "x^{",
    "x^{}",
    "x^2^3^4",
    "x__y",
    "$x$",
    "#1",
    "x%",
    "x&y",
    "~",
    "x y",
    "\\\\",
    "x\x00",
    "x\u2028",
    "é",
    "a" * 5000,
    "W" + "'" * 3,
    r"\hat{\hat{\hat{x}}}",
    "y_{i}_{j}",  # two subscripts: TeX refuses them (found by an outside audit)
    "y^{1}^{2}",
]

ACCEPTED = [
    "t", "W", r"\hat{y}", r"\theta", r"\mathcal{L}", "W_{ij}", "y^{(k)}", "y'", "y''", "x_1^2", r"\hat{\mathbf{x}}",
    r"\mathrm{CE}", r"\ell", r"\nabla", r"\tilde{\Theta}_{t+1}", "x^{(t+1)}", "W_{i,j}", r"\boldsymbol{\mu}",
    r"\overline{x}", r"\widehat{W}", "a_b", "Z^T", r"\varepsilon'_k",
]


def with_symbols(symbols: dict[str, str]):
    data = tomllib.loads((EXERCISES / "mlp-4-4-3-3-softmax-ce.toml").read_text())
    data["conventions"] = {"symbols": symbols}
    return parse_exercise(data, "symbols.toml")


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payloads_are_refused_on_their_key(payload):
    with pytest.raises(ExerciseError, match=r"conventions\.symbols\.target: expected a symbol"):
        with_symbols({"target": payload})


@pytest.mark.parametrize("symbol", ACCEPTED)
def test_math_symbols_are_accepted(symbol):
    assert with_symbols({"target": symbol}).parts[0].conventions.notation.target == symbol


def test_layer_brackets_are_a_choice():
    assert with_symbols({"layer_open": "(", "layer_close": ")"}).parts[0].conventions.notation.layer_open == "("
    with pytest.raises(ExerciseError, match="layer_open: expected one of"):
        with_symbols({"layer_open": "^^5c"})


TEX_TOKENS = ["\\", "{", "}", "^", "_", "^^", "^^5c", "'", "$", "#", "%", "&", "~", " ", "(", ")", "[", "]", ",",
              "+", "-", "x", "y", "W", "1", "2", r"\hat", r"\theta", r"\input", r"\mathbf", r"\catcode", r"\relax",
              "input", "\n", "é"]
tex_strings = st.lists(st.sampled_from(TEX_TOKENS), max_size=12).map("".join)


def grammatical(symbol: str) -> bool:
    """What an accepted symbol must be, checked independently of the grammar's regex."""
    depth = 0
    for char in symbol:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    commands = re.findall(r"\\[A-Za-z]*", symbol)
    return (depth == 0 and "^^" not in symbol and symbol.isascii() and " " not in symbol
            and len(symbol) <= MAX_SYMBOL_LENGTH and all(ALLOWED_COMMANDS.fullmatch(c) for c in commands)
            and not re.search(r"[$#%&~\\]\W", symbol.replace("\\{", "")))


@FUZZ
@given(tex_strings)
def test_random_tex_is_refused_or_grammatical(text):
    try:
        exercise = with_symbols({"target": text})
    except ExerciseError:
        return
    assert grammatical(exercise.parts[0].conventions.notation.target), text


def random_accepted(count: int, seed: int = 0) -> list[str]:
    """Accepted symbols drawn from random TeX token strings (reproducible)."""
    draw, found = random.Random(seed), []
    while len(found) < count:
        text = "".join(draw.choice(TEX_TOKENS[:25] + ["x", "y", "_", "^", "{", "}", "'"]) for _ in range(draw.randint(1, 8)))
        try:
            with_symbols({"target": text})
        except ExerciseError:
            continue
        found.append(text)
    return found


def compile_tex(tmp_path, sheet: str) -> subprocess.CompletedProcess:
    (tmp_path / "sheet.tex").write_text(sheet)
    return subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


@needs_pdflatex
def test_every_accepted_symbol_compiles_in_every_place_a_sheet_writes_one(tmp_path):
    symbols = ACCEPTED + random_accepted(25)
    # one sheet per batch, each symbol used for a different notation field: the weight symbol
    # gets layer superscripts and "new" subscripts, the target a sample index, and so on
    for start in range(0, len(symbols), len(SYMBOL_FIELDS)):
        batch = symbols[start : start + len(SYMBOL_FIELDS)]
        for shift in (0, len(batch) // 2):
            fields = dict(zip(SYMBOL_FIELDS, batch[shift:] + batch[:shift]))
            sheet = solver.solve(with_symbols(fields)).render("tex")
            run = compile_tex(tmp_path, sheet)
            assert run.returncode == 0, (fields, run.stdout[-2000:])
