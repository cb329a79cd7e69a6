"""The picture of a network: every unit, every arrow, each weight where it is legible."""

import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

import solver
from solver.exercise import parse_exercise
from solver.kinds.mlp.picture import MAX_LABELLED, network_picture
from solver.render import render_with_images
from solver.render.drawing import GREY, svg, tikz
from tests.conftest import EXERCISES, network_exercise

SVG = "{http://www.w3.org/2000/svg}"


def _exercise(sizes, seed=0):
    draw = np.random.default_rng(seed)
    weights = [np.round(draw.uniform(-2, 2, (n_out, n_in)), 3).tolist() for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [[0.0] * n for n in sizes[1:]]
    data = network_exercise(sizes, ["sigmoid"] * (len(sizes) - 1), weights=weights, biases=biases,
                            samples=[{"input": [0.5] * sizes[0], "target": [1.0] * sizes[-1]}])
    return parse_exercise(data), weights


def test_every_weight_stands_on_its_arrow_from_unit_j_to_unit_k():
    exercise, weights = _exercise([3, 4, 2])
    diagram = network_picture(exercise)
    columns = sorted({v.x for v in diagram.vertices})
    found = 0
    for arrow in diagram.arrows:
        source, target = diagram.vertices[arrow.source], diagram.vertices[arrow.target]
        layer = columns.index(target.x)  # 1 or 2
        j, k = int(source.label.plain), int(target.label.plain)
        expected = float(f"{weights[layer - 1][k - 1][j - 1]:.3g}")
        assert float(arrow.above.plain.replace("−", "-")) == expected
        found += 1
    assert found == 3 * 4 + 4 * 2
    assert sum(v.circled for v in diagram.vertices) == 3 + 4 + 2


def test_a_large_network_shows_the_first_and_last_units_without_weights():
    exercise, _ = _exercise([12, 9, 3])
    diagram = network_picture(exercise)
    circles = [v for v in diagram.vertices if v.circled]
    inputs = [v.label.plain for v in circles if v.x == 0]
    assert inputs == ["1", "2", "3", "4", "5", "6", "7", "11", "12"]
    assert [v.label.plain for v in diagram.vertices if not v.circled] == ["⋮"]
    assert all(arrow.above is None for arrow in diagram.arrows)  # 12 and 9 units: more than MAX_LABELLED
    assert len(diagram.arrows) == 9 * 9 + 9 * 3
    assert f"at most {MAX_LABELLED} units per layer" in diagram.description


def test_a_784_100_10_network_draws_a_page_sized_picture():
    data = network_exercise([784, 100, 10], ["relu", "softmax"], weights=[np.zeros((100, 784)).tolist(),
                            np.zeros((10, 100)).tolist()], biases=[[0.0] * 100, [0.0] * 10],
                            samples=[{"input": [0.0] * 784, "target": [1.0] + [0.0] * 9}], loss="cross_entropy")
    diagram = network_picture(parse_exercise(data))
    assert len(diagram.vertices) == 9 + 1 + 9 + 1 + 10
    assert max(v.x for v in diagram.vertices) <= 16.0
    ElementTree.fromstring(svg(diagram))


def test_the_network_picture_is_drawn_in_both_formats_under_the_network():
    solution = solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml"))
    text, images = render_with_images(solution, "md", "sheet")
    assert list(images) == ["sheet-network.svg"]
    assert text.index("](sheet-network.svg)") < text.index("## Part (a)")
    root = ElementTree.fromstring(images["sheet-network.svg"])
    assert len(list(root.iter(f"{SVG}circle"))) == 10 and len(list(root.iter(f"{SVG}line"))) == 21
    latex = solution.render("tex")
    assert latex.index(r"\begin{tikzpicture}") < latex.index(r"\section*{Part (a)")
    assert r"\usepackage{tikz}" in latex
    assert tikz(network_picture(solution.exercise)) in latex


def _crosses(line, box) -> bool:
    """Whether the segment (x1, y1, x2, y2) passes through the rectangle (left, top, right, bottom)."""
    x1, y1, x2, y2 = line
    left, top, right, bottom = box
    for step in range(101):
        x, y = x1 + (x2 - x1) * step / 100, y1 + (y2 - y1) * step / 100
        if left <= x <= right and top <= y <= bottom:
            return True
    return False


@pytest.mark.parametrize("sizes", [[5, 3, 2], [2, 6, 1], [8, 3, 8], [12, 9, 3], [1, 4, 4, 1]])
def test_no_arrow_crosses_the_name_of_a_layer(sizes):
    exercise, _ = _exercise(sizes)
    root = ElementTree.fromstring(svg(network_picture(exercise)))
    names = [text for text in root.iter(f"{SVG}text") if text.get("fill") == GREY]  # the headings' lines
    assert len(names) == 1 + 2 * (len(sizes) - 1)  # "n inputs"; "layer l" over "units × activation"
    lines = [tuple(float(line.get(k)) for k in ("x1", "y1", "x2", "y2")) for line in root.iter(f"{SVG}line")]
    for name in names:
        x, y, size = float(name.get("x")), float(name.get("y")), float(name.get("font-size"))
        half = 0.62 * size * len(name.text) / 2
        box = (x - half, y - size, x + half, y + 0.3 * size)
        assert not [line for line in lines if _crosses(line, box)], name.text


def test_in_tikz_the_names_of_the_layers_stand_above_every_circle():
    import re

    exercise, _ = _exercise([5, 3, 2])
    diagram = network_picture(exercise)
    feet = [float(y) for y in re.findall(r"\\node\[caption, anchor=south, align=center\] at \([\d.-]+, ([\d.-]+)\)",
                                         tikz(diagram))]
    assert len(feet) == 3
    assert min(feet) >= max(v.y for v in diagram.vertices) + 0.4  # a circle is 8 mm across


def test_the_names_of_neighbouring_layers_stay_apart_in_a_deep_network():
    sizes = [4, 4, 4, 4, 4, 4, 3]
    data = network_exercise(sizes, ["leaky_relu"] * 5 + ["softmax"], loss="cross_entropy",
                            weights=[np.full((m, k), 0.1).tolist() for k, m in zip(sizes, sizes[1:])],
                            biases=[[0.0] * m for m in sizes[1:]], samples=[{"input": [0.5] * 4, "target": [1, 0, 0]}])
    root = ElementTree.fromstring(svg(network_picture(parse_exercise(data))))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        if text.get("fill") == GREY:
            x, y, half = float(text.get("x")), float(text.get("y")), 0.62 * float(text.get("font-size")) * len(text.text) / 2
            boxes.append((x - half, x + half, y))
    for one in boxes:
        for other in boxes:
            if one is not other and one[2] == other[2]:  # on the same line
                assert one[1] <= other[0] or other[1] <= one[0]
    assert min(y for *_, y in boxes) > 0  # every line on the canvas


def test_one_input_is_one_input():
    exercise, _ = _exercise([1, 2, 1])
    assert network_picture(exercise).alt.startswith("The network: 1 input, layer 1: 2 × sigmoid")
