"""The δ[L] derivations come out as seed 001's "Additional Derivatives" give them."""

import sympy as sp

from solver.derive import derive_activation, derive_delta, render_derivations
from solver.render.formula_latex import derivation_lines
from solver.symbolic import LOSSES, activation, output_delta
from solver.symbolic.activation_catalogue import custom_family
from solver.symbolic.activations import z
from solver.symbolic.derivations import delta_derivation
from solver.symbolic.losses import t, x

w = sp.Symbol("w", real=True)


def final_line(derivation) -> str:
    return derivation_lines(derivation)[-1][1]


def test_seed_derivation_1_squared_error_with_sigmoid():
    # δ[L] = (σ(z[L]) − z) ∘ σ(z[L]) ∘ (1 − σ(z[L])), the target written z as in the seed
    derivation = delta_derivation(LOSSES["half_sse"], activation("sigmoid"), target="z")
    sigma = r"\sigma\left(z^{[L]}\right)"
    assert final_line(derivation).startswith(rf"\left({sigma} - z\right) \circ {sigma} \circ \left(1 - {sigma}\right)")


def test_seed_derivation_2_exponential_output_with_cross_entropy():
    # ẑ_k = exp((w_k z_k)² + 1), E = −Σ t log ẑ  →  δ_k = −t_k · 2 (w_k z_k) w_k
    family = custom_family("exp((w*z)^2 + 1)", ("w",))
    f = family.bind({"w": (1.0,)})  # w per unit, kept a symbol
    form = output_delta(LOSSES["cross_entropy"], f).elementwise_form
    assert sp.expand(form - (-t * 2 * (w * z) * w)) == 0
    assert final_line(delta_derivation(LOSSES["cross_entropy"], f)).startswith(r"-2 t \circ z^{[L]} \circ w^{2}")


def test_seed_derivation_3_sigmoid_of_2z_with_cross_entropy():
    # ẑ = σ(2 z[L]), E = −Σ t log ẑ  →  δ = −2 t ∘ (1 − σ(2 z[L]))
    f = activation("sigmoid", {"beta": 2.0})
    form = output_delta(LOSSES["cross_entropy"], f).elementwise_form
    assert sp.expand(form - (-2 * t * (1 - x))) == 0
    assert final_line(delta_derivation(LOSSES["cross_entropy"], f)).startswith(
        r"-2 t \circ \left(1 - \sigma_{2,1}\left(z^{[L]}\right)\right)")


def test_softmax_and_sigmoid_cross_entropies_collapse_to_output_minus_target():
    for loss_name, name in (("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid")):
        form = output_delta(LOSSES[loss_name], activation(name)).elementwise_form
        assert sp.simplify(form - (x - t)) == 0, (loss_name, name)


def test_general_sigmoid_derivative_is_seed_003s():
    lines = derivation_lines(derive_activation("sigmoid", {"beta": (1.0,), "gamma": (1.0,)}))
    assert lines[-1][1].startswith(r"\frac{\beta x \left(\gamma - x\right)}{\gamma}")  # β σ (1 − σ/γ)


def test_markdown_and_latex():
    derivation = derive_delta("cross_entropy", "softmax")
    markdown = render_derivations([derivation], "md")
    assert markdown.startswith("## The output delta") and r"\begin{aligned}" in markdown
    assert render_derivations([derivation], "tex").startswith(r"\documentclass")


def test_seed_derivation_2_read_literally_couples_the_units():
    # x_k = exp(Σ_j (w_j z_j)² + 1) is the same for every k, so ∂x_j/∂z_k ≠ 0 for j ≠ k and
    # δ_k = −2 w_k² z_k Σ_j t_j = −2 w_k² z_k: the seed's −2 t_k w_k² z_k keeps only j = k
    from solver.derive import derive_delta

    lines = derivation_lines(derive_delta("cross_entropy", "custom", {"w": None},
                                          expression="exp(sum((w_j*z_j)^2) + 1)"))
    assert r"\text{for every j}" in lines[-3][1]
    assert lines[-1][1].startswith(r"- 2 z^{[L]}_k w_k^{2}")
