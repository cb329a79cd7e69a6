"""Custom expressions: the whitelist accepts math and refuses code, without evaluating anything."""

import pytest
import sympy as sp

from solver.symbolic.expressions import ExpressionError, parse_expression

z, w = sp.symbols("z w", real=True)
NAMES = {"z": z, "x": z, "w": w}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("x**3/3 + x", z**3 / 3 + z),
        ("exp(-x**2)", sp.exp(-(z**2))),
        ("exp((w*z)^2 + 1)", sp.exp(w**2 * z**2 + 1)),  # ^ is power, with power's precedence
        ("sigmoid(2*z)", 1 / (1 + sp.exp(-2 * z))),
        ("max(0, z) + abs(z) - sqrt(z**2 + 1)", sp.Max(0, z) + sp.Abs(z) - sp.sqrt(z**2 + 1)),
        ("log(1 + exp(z)) * pi / e", sp.log(1 + sp.exp(z)) * sp.pi / sp.E),
        ("0.5*z", z / 2),
    ],
)
def test_math_is_parsed(text, expected):
    assert sp.simplify(parse_expression(text, NAMES) - expected) == 0


@pytest.mark.parametrize(
    "text,message",
    [
        ('__import__("os").system("ls")', "calling an expression is not allowed"),
        ("__import__", "unknown name '__import__'"),
        ("z.real", "attribute access"),
        ("z[0]", "subscripts"),
        ("lambda: 1", "lambda"),
        ('open("/etc/passwd")', "calling open is not allowed"),
        ("exp(z, base=2)", "plain arguments only"),
        ("[z]", "lists"),
        ("z if z else 1", "if/else"),
        ("(z := 1)", ":="),
        ("2**2**99", "an exponent larger than 100"),
        ("1e400", "a number beyond"),
        ('"text"', "only numbers"),
        ("q + 1", "unknown name 'q'"),
        ("exp", "exp is a function"),
        ("z +", "not an expression"),
        ("2**z", "write exp(...) instead"),
        ("z" + " + z" * 300, "longer than 500 characters"),
        ("(" * 60 + "z" + ")" * 60, ""),  # parentheses alone do not nest the tree
        ("-" * 60 + "z", "nested more than"),
    ],
)
def test_code_is_refused(text, message):
    if message == "":
        assert parse_expression(text, NAMES) == z
        return
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_expression(text, NAMES)


def test_nothing_is_evaluated(monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "eval", lambda *a, **k: pytest.fail("eval was called"))
    monkeypatch.setattr(sp, "sympify", lambda *a, **k: pytest.fail("sympify was called"))
    parse_expression("exp((w*z)^2 + 1) + sigmoid(z)", NAMES)


def test_sum_over_units_only_where_asked_for():
    from solver.symbolic.expressions import SumOverUnits

    zj, wj = sp.symbols("z_j w_j", real=True)
    summed = {"z_j": zj, "w_j": wj}
    parsed = parse_expression("exp(sum((w_j*z_j)^2) + 1)", NAMES, summed)
    assert parsed == sp.exp(SumOverUnits(wj**2 * zj**2) + 1)
    with pytest.raises(ExpressionError, match="use it inside sum"):
        parse_expression("z_j + 1", NAMES, summed)
    with pytest.raises(ExpressionError, match="sum\\(...\\) inside sum"):
        parse_expression("sum(sum(z_j))", NAMES, summed)
    with pytest.raises(ExpressionError, match="calling sum is not allowed"):
        parse_expression("sum(z)", NAMES)


def test_max_and_min_in_a_custom_activation_evaluate():
    # NumPy's printer writes Max as functools.reduce(numpy.maximum, …): the namespace must have it
    import numpy as np

    from solver.symbolic.activation_catalogue import custom_family

    f = custom_family("max(0, z) + min(z, 1)", ()).bind({})
    np.testing.assert_allclose(f.evaluate(np.array([[-2.0], [0.5], [3.0]]))[:, 0], [-2.0, 1.0, 4.0])


@pytest.mark.parametrize(
    "text,message",
    [
        ("log(0)", "infinite for every value"),
        ("log(x - x)", "infinite for every value"),
        ("0**(-1)", "infinite for every value"),
        ("1/(x - x)", "infinite for every value"),
        ("z + w*log(0)", "infinite for every value"),
        ("(x - x)/(x - x)", "not defined for any value"),
        ("0*log(0)", "not defined for any value"),
    ],
)
def test_an_expression_with_no_value_anywhere_is_refused(text, message):
    import math

    # plain Python at an arbitrary point: the expression has no value there, nor anywhere else
    with pytest.raises((ZeroDivisionError, ValueError)):
        eval(text, {"log": math.log, "x": 1.7, "z": 1.7, "w": 0.3})  # noqa: S307 - the test's own constants
    with pytest.raises(ExpressionError, match=message):
        parse_expression(text, NAMES)


@pytest.mark.parametrize("text", ["log(x - x + 1)", "1/(z - w)", "0*log(z)", "(z - w)/(z - w)"])
def test_an_expression_with_a_value_somewhere_is_accepted(text):
    # log 1 = 0 everywhere; the others have values wherever z ≠ w (or z > 0)
    parse_expression(text, NAMES)
