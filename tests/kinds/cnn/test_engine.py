"""The cnn kind's counts against an independent loop (oracle.py) and against published numbers,
each cited where it is asserted."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES
from tests.hostile import FUZZ
from tests.kinds.cnn.oracle import count_network

SHIPPED = sorted(EXERCISES.glob("cnn-*.toml"))
QUANTITIES = ("width", "height", "channels", "inputs", "weights", "biases", "params", "connections", "activations")


def solve(data: dict):
    return solver.solve(parse_exercise({"kind": "cnn", **data}, "cnn.toml"))


def assert_agrees_with_oracle(solution, input_size, layers, part="a", bias_is_connection=True):
    expected = count_network(input_size, layers, bias_is_connection)
    for number, row in enumerate(expected, 1):
        for quantity in QUANTITIES:
            step = f"{part}.l{number}.{quantity}"
            if quantity in row:
                assert step in solution, step
                assert solution[step] == row[quantity], (step, solution[step], row[quantity])
    for quantity in ("weights", "biases", "params", "connections", "activations"):
        assert solution[f"{part}.{quantity}"] == sum(row[quantity] for row in expected), quantity


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_cnn_exercise_agrees_with_the_loop(path):
    data = tomllib.loads(path.read_text())
    solution = solver.solve(solver.load_exercise(path))
    for index, part in enumerate(data.get("parts", [{}])):
        name = part.get("name", "abcdefgh"[index])
        assert_agrees_with_oracle(solution, part.get("input", data.get("input")), part.get("layers", data.get("layers")),
                                  name)


def test_lenet5_reproduces_the_papers_counts_layer_by_layer():
    # LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document recognition",
    # Proc. IEEE 86(11), 1998, section II.B: C1 156 trainable parameters and 122,304 connections;
    # S2 12 and 5,880; C3 1,516 and 151,600; S4 32 and 2,000; C5 48,120 connections; F6 10,164
    # trainable parameters. Seed 002 prints C1's: 28 × 28 × 6 outputs, 26 × 28 × 28 × 6 = 122,304.
    solution = solver.solve("cnn-lenet-5")
    published = {1: (156, 122_304), 2: (12, 5_880), 3: (1_516, 151_600), 4: (32, 2_000), 5: (48_120, 48_120),
                 6: (10_164, 10_164)}
    for layer, (params, connections) in published.items():
        assert (solution[f"a.l{layer}.params"], solution[f"a.l{layer}.connections"]) == (params, connections)
    assert [int(solution[f"a.l1.{q}"]) for q in ("width", "height", "channels")] == [28, 28, 6]
    # the paper: "only 60,000 trainable free parameters" up to F6 (its RBF output layer is fixed)
    assert solution["a.params"] == 60_000


def test_alexnet_first_layers_give_the_published_sizes():
    # seed 002: AlexNet takes 227 × 227 × 3; CS231n (Stanford, "Convolutional Neural Networks for
    # Visual Recognition", lecture on CNN architectures): CONV1 96 11×11 filters at stride 4 →
    # 55×55×96 with (11·11·3)·96 = 34,848 weights ("35K"); POOL1 3×3 stride 2 → 27×27×96 with no
    # parameters; CONV2 256 5×5, pad 2 → 27×27×256; POOL2 → 13×13×256; CONV3 384 3×3, pad 1 → 13×13×384.
    solution = solver.solve("cnn-alexnet-first-layers")
    sizes = [tuple(int(solution[f"a.l{n}.{q}"]) for q in ("width", "height", "channels")) for n in range(1, 6)]
    assert sizes == [(55, 55, 96), (27, 27, 96), (27, 27, 256), (13, 13, 256), (13, 13, 384)]
    assert solution["a.l1.weights"] == 34_848 and solution["a.l2.params"] == 0


def test_vgg16_has_138357544_parameters():
    # Simonyan and Zisserman (2015), Table 2: configuration D has 138 million parameters; the exact
    # count, 138,357,544, is torchvision's documented num_params of vgg16 (IMAGENET1K_V1), the same
    # network with its three fully-connected layers.
    solution = solver.solve("cnn-vgg-16")
    assert solution["a.params"] == 138_357_544
    assert solution["a.layers"] == 16  # 13 convolutions and 3 fully-connected layers
    assert [int(solution[f"a.l18.{q}"]) for q in ("width", "height", "channels")] == [7, 7, 512]


def test_seed_002_fully_connected_against_convolution():
    # seed 002, "2 architectures": 3072 inputs to 500 units; 100 filters 4 × 4 × 3 give 29 × 29 × 100
    # = 84,100 outputs and 100 · (4 · 4 · 3 + 1) = 4,900 parameters. The notes' "3072 × 500 ≈ 1.5
    # million + 1 bias" has one bias per unit: 1,536,000 + 500.
    solution = solver.solve("cnn-fc-vs-conv-32x32x3")
    assert (solution["a.l1.inputs"], solution["a.l1.weights"], solution["a.l1.params"]) == (3072, 1_536_000, 1_536_500)
    assert (solution["b.l1.width"], solution["b.l1.activations"], solution["b.l1.params"]) == (29, 84_100, 4_900)


def test_seed_002_counts_a_3_4_2_network():
    # seed 002: LAYERS = 2, NEURONS = 4 + 2 = 6, WEIGHTS = 3 × 4 + 4 × 2 = 20, BIASES = 6, PARAMETERS = 26
    solution = solver.solve("cnn-3-4-2-count")
    assert [solution[f"a.{q}"] for q in ("layers", "activations", "weights", "biases", "params")] == [2, 6, 20, 6, 26]


def test_rectangular_windows_strides_and_paddings():
    layers = [{"type": "conv", "filters": 4, "size": [5, 3], "stride": [1, 2], "padding": [0, 1]},
              {"type": "pool", "size": [2, 3], "stride": [2, 1], "op": "avg"}, {"type": "fc", "units": 7}]
    solution = solve({"input": [12, 9, 2], "layers": layers})
    assert_agrees_with_oracle(solution, [12, 9, 2], layers)
    assert (solution["a.l1.width"], solution["a.l1.height"]) == (8, 5)  # (12 − 5)/1 + 1, (9 + 2 − 3)/2 + 1


def test_connections_without_the_bias():
    layers = [{"type": "conv", "filters": 6, "size": 5}, {"type": "pool", "size": 2, "op": "subsample"},
              {"type": "fc", "units": 3}]
    solution = solve({"input": [32, 32, 1], "layers": layers, "conventions": {"bias_is_connection": False}})
    assert_agrees_with_oracle(solution, [32, 32, 1], layers, bias_is_connection=False)
    assert solution["a.l1.connections"] == 25 * 28 * 28 * 6  # 117,600: seed 002's 122,304 less one per output


def test_a_pool_stride_defaults_to_its_size():
    solution = solve({"input": [8, 8, 3], "layers": [{"type": "pool", "size": 2}]})
    assert (solution["a.l1.width"], solution["a.l1.params"], solution["a.params"]) == (4, 0, 0)


@st.composite
def networks(draw):
    """A random small network that fits: each window is chosen to tile what it slides over."""
    width, height, channels = draw(st.integers(1, 20)), draw(st.integers(1, 20)), draw(st.integers(1, 4))
    size = [width, height, channels]
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        if width == height == 1 and layers and layers[-1]["type"] == "fc" or draw(st.integers(0, 4)) == 0:
            layers.append({"type": "fc", "units": draw(st.integers(1, 9))})
            width, height = 1, 1
            continue
        if layers and layers[-1]["type"] == "fc":
            break
        kind = draw(st.sampled_from(["conv", "pool"]))
        padding = [draw(st.integers(0, 2)), draw(st.integers(0, 2))] if kind == "conv" else [0, 0]
        fw, fh = draw(st.integers(1, width + 2 * padding[0])), draw(st.integers(1, height + 2 * padding[1]))
        spans = (width + 2 * padding[0] - fw, height + 2 * padding[1] - fh)
        stride = [draw(st.sampled_from([s for s in range(1, span + 2) if span % s == 0])) for span in spans]
        layer = {"type": kind, "size": [fw, fh], "stride": stride}
        if kind == "conv":
            layer.update(filters=draw(st.integers(1, 5)), padding=padding)
            channels = layer["filters"]
        else:
            layer["op"] = draw(st.sampled_from(["max", "avg", "subsample"]))
        width, height = spans[0] // stride[0] + 1, spans[1] // stride[1] + 1
        layers.append(layer)
    return size, layers


@FUZZ
@given(networks(), st.booleans())
def test_random_networks_agree_with_the_loop(network, bias):
    size, layers = network
    solution = solve({"input": size, "layers": layers, "conventions": {"bias_is_connection": bias}})
    assert_agrees_with_oracle(solution, size, layers, bias_is_connection=bias)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_where_the_parameters_are_agrees_with_the_loop(path):
    """The convolutions' and the fully-connected layers' parameters, the latter's share and the
    layer with the most, summed here from the oracle's rows (only for a network with both)."""
    data = tomllib.loads(path.read_text())
    solution = solver.solve(solver.load(path.stem))
    for part in data.get("parts") or [{"name": "a"}]:
        layers = part.get("layers", data.get("layers"))
        rows = count_network(part.get("input", data.get("input")), layers, True)
        name = part["name"]
        conv = sum(row["params"] for layer, row in zip(layers, rows) if layer["type"] == "conv")
        fc = sum(row["params"] for layer, row in zip(layers, rows) if layer["type"] == "fc")
        if not any(layer["type"] == "conv" for layer in layers) or not fc:
            assert f"{name}.share_fc" not in solution
            continue
        assert solution[f"{name}.params_conv"] == conv and solution[f"{name}.params_fc"] == fc
        assert solution[f"{name}.share_fc"] == pytest.approx(fc / (conv + fc + sum(
            row["params"] for layer, row in zip(layers, rows) if layer["type"] == "pool")))
        most = max(range(len(rows)), key=lambda i: rows[i]["params"]) + 1
        assert solution[f"{name}.largest"] == most


def test_vgg_16_holds_most_of_its_parameters_in_its_first_fully_connected_layer():
    # Simonyan and Zisserman (2015), Table 2: 138 million parameters for configuration D; the first
    # fully-connected layer alone is 7·7·512·4096 + 4096 = 102,764,544 of them
    solution = solver.solve(solver.load("cnn-vgg-16"))
    assert solution["a.largest"] == 19 and solution["a.l19.params"] == 7 * 7 * 512 * 4096 + 4096
    assert solution["a.share_fc"] == pytest.approx(123_642_856 / 138_357_544)


def test_a_part_compared_with_another_gives_both_ratios():
    # seed 002: 3072 · 500 + 500 parameters against 4 · 4 · 3 · 100 + 100; connections (48 + 1) · 29 · 29 · 100
    solution = solver.solve(solver.load("cnn-fc-vs-conv-32x32x3"))
    assert solution["b.params_ratio"] == pytest.approx((3072 * 500 + 500) / (4 * 4 * 3 * 100 + 100))
    assert solution["b.connections_ratio"] == pytest.approx((3072 * 500 + 500) / (49 * 29 * 29 * 100))
    assert "a.params_ratio" not in solution


def test_compare_with_names_an_earlier_part():
    from solver.errors import ExerciseError

    data = {"input": [8, 8, 1], "parts": [{"name": "a", "layers": [{"type": "fc", "units": 2}], "compare_with": "b"},
                                          {"name": "b", "layers": [{"type": "fc", "units": 3}]}]}
    with pytest.raises(ExerciseError, match=r"parts\[0\]\.compare_with: .*no part comes before this one") as raised:
        solve(data)
    assert "one of ," not in str(raised.value)
    data["parts"][1]["compare_with"] = "c"
    del data["parts"][0]["compare_with"]
    with pytest.raises(ExerciseError, match=r"parts\[1\]\.compare_with: expected one of 'a', got 'c'"):
        solve(data)
