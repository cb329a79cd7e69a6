"""An MLP sheet counts its network as seed 002 counts a 3-4-2 network."""

import re

import numpy as np

from solver.exercise import parse_exercise
from solver.kinds.mlp.counts import count_fact
from tests.conftest import network_exercise


def _network(sizes, activations=None, **layer_settings):
    weights = [np.full((n_out, n_in), 0.1).tolist() for n_in, n_out in zip(sizes, sizes[1:])]
    data = network_exercise(sizes, activations or ["sigmoid"] * (len(sizes) - 1), weights=weights,
                            biases=[[0.0] * n for n in sizes[1:]],
                            samples=[{"input": [float(i)] * sizes[0], "target": [0.0] * sizes[-1]} for i in range(2)])
    for index, settings in layer_settings.items():
        layer = data["network"]["layers"][int(index[1:])]
        layer.update(settings)
        if layer.get("batch_norm"):
            del layer["biases"]
    return parse_exercise(data).setup


def _counted(fact: str) -> dict[str, int]:
    """The totals a sentence states, by noun."""
    found = {noun: int(value.replace("{,}", "")) for value, noun in
             re.findall(r"(?:= )?([\d{},]+)\$ (units?|weights?|bias(?:es)?|batch-norm)", fact)}
    found["layers"] = int(re.search(r"(\d+) layers?", fact).group(1))
    found["parameters"] = int(re.search(r"\$([\d{},]+)\$ parameters", fact).group(1).replace("{,}", ""))
    return found


def test_seed_002s_3_4_2_network():
    # seed 002: "3-4-2: 2 layers (don't count the input), 6 neurons, 3·4 + 4·2 = 20 weights,
    # 4 + 2 = 6 biases, 26 learnable parameters"
    fact = count_fact(_network([3, 4, 2]))
    assert _counted(fact) == {"layers": 2, "units": 6, "weights": 20, "biases": 6, "parameters": 26}
    assert r"3 \cdot 4 + 4 \cdot 2 = 20" in fact


def test_a_784_100_10_network_groups_its_digits():
    fact = count_fact(_network([784, 100, 10], ["relu", "softmax"]))
    counted = _counted(fact)
    assert counted["weights"] == 784 * 100 + 100 * 10 and counted["parameters"] == 784 * 100 + 100 * 10 + 110
    assert "79{,}510" in fact


def test_a_batch_norm_layer_trades_its_biases_for_gamma_and_beta():
    network = _network([2, 3, 1], l0={"batch_norm": True})
    fact = count_fact(network)
    trained = sum(value.size for layer in network.layers for value in layer.initial_values)
    assert _counted(fact)["parameters"] == trained == 2 * 3 + 3 * 1 + 1 + 2 * 3
    assert r"$1$ bias," in fact
