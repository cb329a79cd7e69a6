"""Short derivations, in the style of seed 001's "Additional Derivatives": how f' follows from
f, and how δ[L] = ∂E/∂z[L] follows from the loss and the output activation.

A derivation is a list of lines `left = right`, each side text or SymPy expressions with the
names their symbols print as; the formatting module turns them into LaTeX. Every expression
comes from the catalogue entries, so what a derivation shows is what the engine evaluates.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from solver.formula import Expression
from solver.symbolic.activations import SOFTMAX_I, SOFTMAX_J, Activation, Softmax, y, z
from solver.symbolic.expressions import SumOverUnits
from solver.conventions import atom
from solver.symbolic.losses import Loss, VectorLoss, n, output_delta, t, written_as_sum, x

Side = tuple[str | Expression, ...]


@dataclass(frozen=True)
class DerivationLine:
    """`left` = `right`, with a remark: `note` in words, `note_math` in LaTeX."""

    left: Side
    right: Side
    note: str = ""
    note_math: str = ""


@dataclass(frozen=True)
class Derivation:
    title: str
    lines: tuple[DerivationLine, ...]


def present(expr: sp.Expr) -> sp.Expr:
    """The form a hand derivation writes: a factor (x − 1) turned into −(1 − x), so that
    constants lead and the sign stands in front."""
    if not isinstance(expr, sp.Mul):
        return expr
    coefficient, factors = sp.Integer(1), []
    for factor in expr.args:
        constant = factor.as_coeff_Add()[0] if isinstance(factor, sp.Add) else 0
        if factor.is_Number:
            coefficient *= factor
        elif constant < 0:
            factors.append(-factor)
            coefficient = -coefficient
        else:
            factors.append(factor)
    return sp.Mul(coefficient, *factors, evaluate=False) if coefficient != 1 else sp.Mul(*factors, evaluate=False)


def _factor(expr: sp.Expr, names: dict, vector: bool) -> Side:
    """A factor of a product, in parentheses when it is a sum or has a sign."""
    token = _vector(expr, names) if vector else _scalar(expr, names)
    if isinstance(expr, sp.Add) or expr.could_extract_minus_sign():
        return (r"\left(", token, r"\right)")
    return (token,)


def _scalar(expr: sp.Expr, names: dict) -> Expression:
    return Expression(expr, names=tuple(names.items()), elementwise=False)


def _vector(expr: sp.Expr, names: dict) -> Expression:
    return Expression(expr, names=tuple(names.items()), elementwise=True)


def activation_derivation(f: Activation) -> Derivation:
    """f, f' from `sympy.diff`, and f' in terms of the output x = f(z) where there is one."""
    name = f.latex_name
    names = {z: "z", y: "x"}
    lines = [
        DerivationLine((rf"{name}(z)",), (_scalar(f.expression, names),)),
        DerivationLine((rf"{name}'(z)",), (_scalar(f.derivative, names),), "differentiate"),
    ]
    if f.derivative_of_output is not None and f.derivative_of_output != f.derivative:
        lines.append(DerivationLine(("",), (_scalar(f.derivative_of_output, names),), "with", rf"x = {name}(z)"))
    return Derivation(rf"The derivative of ${name}$", tuple(lines))


def delta_derivation(loss: Loss | VectorLoss, f: Activation | Softmax, *, output: str = "x^{[L]}",
                     net: str = "z^{[L]}", target: str = "t", outputs: int | None = None) -> Derivation:
    """δ[L] = ∂E/∂z[L] for this loss and output activation, component k first, then as vectors.
    `output`, `net` and `target` are the symbols of the sheet's notation."""
    target = atom(target)  # it gets a subscript k
    xk, tk, zk = f"{output}_k", f"{target}_k", f"{net}_k"
    xi, ti, xj = f"{output}_i", f"{target}_i", f"{output}_j"
    k = {x: xk, t: tk, z: zk, y: xk, n: "n"}
    title = rf"The output delta $\delta = \partial E / \partial {net}$"
    if not loss.separable:
        return Derivation(title, (DerivationLine((r"\delta",), (rf"J^{{T}}\,\frac{{\partial E}}{{\partial {output}}}",),
                                                 "a loss of the whole output vector, through the Jacobian J"),))
    gradient = loss.gradient if outputs is None else loss.gradient.subs(n, outputs)
    negative, factor, summand = written_as_sum(loss.term, outputs)
    lines = [DerivationLine((r"E",), ("-" if negative else "", *(() if factor == 1 else (_scalar(factor, {}),)),
                                      r"\sum_i ", _scalar(summand, {x: xi, t: ti, n: "n"})),)]
    lines.append(DerivationLine((rf"\frac{{\partial E}}{{\partial {xk}}}",), (_scalar(gradient, k),)))
    delta = output_delta(loss, f)
    vector = {x: output, t: target, z: net}
    as_function = {x: rf"{f.latex_name}\left({net}\right)", t: target, z: net}
    if f.elementwise:
        derivative = f.derivative_of_output if f.derivative_of_output is not None else f.derivative
        lines.append(DerivationLine((rf"\frac{{\partial {xk}}}{{\partial {zk}}}",), (_scalar(derivative, k),),
                                    "with", rf"{xk} = {f.latex_name}\left({zk}\right)"))
        derivative = derivative.subs(y, x)
        lines.append(DerivationLine((r"\delta_k",), (rf"\frac{{\partial E}}{{\partial {xk}}}\,\frac{{\partial {xk}}}{{\partial {zk}}} = ",
                                                     *_factor(gradient, k, False), r" \cdot ", *_factor(derivative, k, False))))
        shown = as_function if f.derivative_of_output is not None else vector
        if delta.elementwise_form is None:
            whole = (*_factor(gradient, shown, True), r" \circ ", *_factor(derivative, shown, True))
        else:
            final = present(delta.elementwise_form)
            lines.append(DerivationLine(("",), (_scalar(final, k),), "simplify"))
            whole = (_vector(final, shown),)
        lines.append(DerivationLine((r"\delta",), whole, "for every k at once"))
        return Derivation(title, tuple(lines))
    if not isinstance(f, Softmax):
        return Derivation(title, (*lines, *_coupled_lines(loss, f, gradient, output, net, target, k)))
    diagonal, off_diagonal = f.jacobian_entries
    jacobian = {SOFTMAX_I: xk, SOFTMAX_J: xj}
    lines.append(DerivationLine((rf"\frac{{\partial {xj}}}{{\partial {zk}}}",),
                                (r"\begin{cases} ", _scalar(diagonal, jacobian), r" & j = k \\ ",
                                 _scalar(off_diagonal, {SOFTMAX_I: xj, SOFTMAX_J: xk}),
                                 r" & j \neq k \end{cases}"), "softmax couples every output to every net input"))
    lines.append(DerivationLine((r"\delta_k",), (rf"\sum_j \frac{{\partial E}}{{\partial {xj}}}\,\frac{{\partial {xj}}}{{\partial {zk}}}",)))
    if delta.elementwise_form is not None:
        lines.append(DerivationLine(("",), (_scalar(delta.elementwise_form, k),), "using", rf"\sum_j {target}_j = 1"))
        lines.append(DerivationLine((r"\delta",), (_vector(delta.elementwise_form, vector),), "for every k at once"))
    return Derivation(title, tuple(lines))


def _coupled_lines(loss, f, gradient, output: str, net: str, target: str, k: dict) -> list[DerivationLine]:
    """δ_k = Σ_j ∂E/∂x_j ∂x_j/∂z_k for an output coupled through a sum, derived on three units."""
    from solver.symbolic.coupled import expand

    nets, values, outputs = expand(f.template, f.own, f.indexed, 3)
    targets = sp.symbols("t1:4", real=True)
    xj, xk, zk, tk = f"{output}_j", f"{output}_k", f"{net}_k", f"{target}_k"
    at_k = {nets[0]: zk, **{values[(name, 0)]: f"{name}_k" for name, _ in f.own}}
    total = sp.Symbol("T")
    shown = {**at_k, total: rf"\sum_j {target}_j", targets[0]: tk}
    entry = sp.diff(outputs[1], nets[0]).subs(outputs[1], sp.Symbol("X"))
    diagonal = sp.diff(outputs[0], nets[0]).subs(outputs[0], sp.Symbol("X"))
    delta = sum(gradient.subs({x: out, t: tt}) * sp.diff(out, nets[0]) for out, tt in zip(outputs, targets))
    delta = sp.factor(sp.simplify(delta).subs(targets[2], total - targets[0] - targets[1]))
    lines = [
        DerivationLine((xk,), (_scalar(f.template.replace(
            SumOverUnits, lambda g: sp.Sum(g, (sp.Symbol("j"), 1, sp.Symbol("n")))), {z: zk}),)),
        DerivationLine((rf"\frac{{\partial {xj}}}{{\partial {zk}}}",), (_scalar(entry, {**at_k, sp.Symbol("X"): xj}),),
                       "for every j" if sp.simplify(diagonal - entry) == 0 else "for", "" if sp.simplify(diagonal - entry) == 0
                       else r"j \neq k"),
        DerivationLine((r"\delta_k",), (rf"\sum_j \frac{{\partial E}}{{\partial {xj}}}\,\frac{{\partial {xj}}}{{\partial {zk}}} = ",
                                        _scalar(delta, shown))),
    ]
    if sp.simplify(diagonal - entry) != 0:
        lines.insert(2, DerivationLine((rf"\frac{{\partial {xk}}}{{\partial {zk}}}",),
                                       (_scalar(diagonal, {**at_k, sp.Symbol("X"): xk}),)))
    if delta.has(total):
        lines.append(DerivationLine(("",), (_scalar(present(delta.subs(total, 1)), shown),), "using", rf"\sum_j {target}_j = 1"))
    return lines
