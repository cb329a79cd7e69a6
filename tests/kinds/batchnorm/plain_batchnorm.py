"""Batch normalisation in plain NumPy, written from the seeds' formulas by hand: the oracle the
batchnorm kind is tested against. Samples are ROWS here (m × n, as seed 004 writes x), the other
way round from byhand, so that a transposition slip on either side shows.

Forward (seed 002): μ = (1/m) Σ x, σ² = (1/m) Σ (x − μ)², x̂ = (x − μ)/√(σ² + ε), y = γ x̂ + β.
Backward (seed 002's stages, derivatives written out by hand, not by SymPy):
    ∂L/∂γ = Σ ∂L/∂y ∘ x̂, ∂L/∂β = Σ ∂L/∂y, ∂L/∂x̂ = ∂L/∂y ∘ γ,
    ∂L/∂σ² = Σ ∂L/∂x̂ ∘ (x − μ) · (−½)(σ² + ε)^(−3/2),
    ∂L/∂μ = −Σ ∂L/∂x̂ / √(σ² + ε) + ∂L/∂σ² · (−2/m) Σ (x − μ),
    ∂L/∂x = ∂L/∂x̂ / √(σ² + ε) + ∂L/∂σ² · 2(x − μ)/m + ∂L/∂μ / m.
Closed form (seed 004, with the factor m on ∂L/∂y that the notes drop):
    ∂L/∂x = γ/(m √(σ² + ε)) (m ∂L/∂y − Σ ∂L/∂y − x̂ Σ ∂L/∂y ∘ x̂).

The slips a student makes, each switched on by a flag, with the derivatives a student who made it
consistently would write: the unbiased divisor m − 1 wherever 1/m comes from σ², ε outside the
root (s = √σ² + ε, so ∂x̂/∂σ² = −(x − μ)/(2√σ² s²)), and the ∂L/∂μ/m term left out of ∂L/∂x.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Slips:
    unbiased: bool = False
    epsilon_outside: bool = False
    mean_path_omitted: bool = False
    mean_not_sum: bool = False  # ∂L/∂γ and ∂L/∂β averaged over the batch


def batchnorm(x, gamma, beta, eps, dy, slips: Slips = Slips()) -> dict[str, np.ndarray]:
    """Every quantity of the forward and backward pass, samples as rows; per-feature values as
    1-d arrays of n."""
    x, dy = np.asarray(x, float), np.asarray(dy, float)
    gamma, beta = np.broadcast_to(gamma, x.shape[1]).astype(float), np.broadcast_to(beta, x.shape[1]).astype(float)
    m = x.shape[0]
    divisor = m - 1 if slips.unbiased else m
    mu = x.sum(axis=0) / m
    var = ((x - mu) ** 2).sum(axis=0) / divisor
    if slips.epsilon_outside:
        s = np.sqrt(var) + eps
        dxhat_dvar = -(x - mu) / (2 * np.sqrt(var) * s**2)
    else:
        s = np.sqrt(var + eps)
        dxhat_dvar = -0.5 * (x - mu) * (var + eps) ** -1.5
    xhat = (x - mu) / s
    y = gamma * xhat + beta
    dgamma = (dy * xhat).sum(axis=0) / (m if slips.mean_not_sum else 1)
    dbeta = dy.sum(axis=0) / (m if slips.mean_not_sum else 1)
    dxhat = dy * gamma
    dvar = (dxhat * dxhat_dvar).sum(axis=0)
    dmu = -(dxhat / s).sum(axis=0) + dvar * (-2 / divisor) * (x - mu).sum(axis=0)
    dx = dxhat / s + dvar * 2 * (x - mu) / divisor
    if not slips.mean_path_omitted:
        dx = dx + dmu / m
    compact = gamma / (m * s) * (m * dy - dbeta - xhat * dgamma)
    return {"mu": mu, "var": var, "xhat": xhat, "y": y, "dy": dy, "dgamma": dgamma, "dbeta": dbeta,
            "dxhat": dxhat, "dvar": dvar, "dmu": dmu, "dx": dx, "dx_compact": compact}


def as_byhand(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The oracle's values in byhand's layout: features as rows, one column per sample; per-feature
    values as columns."""
    return {name: (value.T if value.ndim == 2 else value.reshape(-1, 1)) for name, value in values.items()}
