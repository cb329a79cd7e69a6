"""Reading answers files: every way of writing a number, every problem kept on its entry."""

import textwrap

import pytest

from solver.check.answers import AnswersError, load_answers


def load(tmp_path, text):
    path = tmp_path / "answers.toml"
    path.write_text(textwrap.dedent(text))
    return {entry.step_id: entry for entry in load_answers(path).entries}


def test_quoted_ids_and_tables_both_work(tmp_path):
    entries = load(tmp_path, '''
        "a.z1" = [0.2, 0.2]
        b.q1.class = 1
        [c]
        x1 = 0.5
    ''')
    assert set(entries) == {"a.z1", "b.q1.class", "c.x1"}


def test_units_come_from_the_digits_written(tmp_path):
    entries = load(tmp_path, '''
        "a" = 0.5498
        "b" = 12
        "c" = "0.50"
        "d" = "1/3"
        "e" = 1.5e-3
        "f" = "-2.50e-2"
    ''')
    units = {key: entry.numbers.unit for key, entry in entries.items()}
    assert units["a"] == pytest.approx(1e-4) and units["b"] == 1 and units["c"] == pytest.approx(0.01)
    assert units["d"] is None and units["e"] == pytest.approx(1e-4) and units["f"] == pytest.approx(1e-4)
    assert entries["d"].numbers.value == pytest.approx(1 / 3)


def test_empty_string_means_not_answered(tmp_path):
    assert load(tmp_path, '"a.z1" = ""\n"a.x1" = 1\n').keys() == {"a.x1"}


@pytest.mark.parametrize(
    "value,problem",
    [
        ('"fast"', "expected a number"),
        ("true", "expected a number, got true"),
        ("[]", "empty list"),
        ("[[1, 2], [3]]", "rows of equal length"),
        ("[1, [2]]", "rows of equal length"),
        ('"1/0"', "denominator 0"),
        ("nan", "finite"),
        ("{ x = 1 }", None),  # a table is flattened into the id a.z1.x
    ],
)
def test_a_bad_value_is_a_problem_of_its_entry(tmp_path, value, problem):
    entries = load(tmp_path, f'"ok" = 1\n"a.z1" = {value}\n')
    assert entries["ok"].problem is None
    if problem is None:
        assert "a.z1.x" in entries
    else:
        assert problem in entries["a.z1"].problem


def test_unusable_files_are_errors(tmp_path):
    with pytest.raises(AnswersError, match="file not found"):
        load_answers(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text('"a.z1" = [1,\n')
    with pytest.raises(AnswersError, match="invalid TOML"):
        load_answers(tmp_path / "bad.toml")


@pytest.mark.parametrize("text,value,unit", [
    ("60,000", 60000, 1), ("60 000", 60000, 1), ("122,304", 122304, 1), ("-1,234,567", -1234567, 1),
    ("1,500.25", 1500.25, 0.01), ("+999 999", 999999, 1),
])
def test_thousands_grouped_are_the_number(tmp_path, text, value, unit):
    entry = load(tmp_path, f'"a" = "{text}"\n')["a"]
    assert entry.problem is None and entry.numbers.value == value and entry.numbers.text == text
    assert entry.numbers.unit == pytest.approx(unit)


@pytest.mark.parametrize("text", ["1,5", "60,00", "60,0000", "1,000 000", "60,,000", ",000", "1 5", "60_000x",
                                  "0,500", "-0,125", "0 500", "012,000"])
def test_a_comma_that_is_not_between_thousands_is_refused(tmp_path, text):
    problem = load(tmp_path, f'"a" = "{text}"\n')["a"].problem
    assert problem is not None and "\n" not in problem
    if text == "1,5":
        assert "a comma is read only between thousands" in problem and "1.5" in problem
    if text == "0,500":  # a decimal comma, not five hundred: the student is told how to write it
        assert "write a decimal point, 0.500, not 0,500" in problem


@pytest.mark.parametrize("text,suggestion", [
    ("1,50", "write a decimal point, 1.50, not 1,50"),
    ("-2,75", "write a decimal point, -2.75, not -2,75"),
    ("60,,000", "write a decimal point, 1.5, not 1,5"),  # no single decimal point to suggest
    ("060,000", "does not start with 0; write 60,000"),  # grouped thousands, not the decimal 060.000
    ("0012,000.5", "does not start with 0; write 12,000.5"),
    ("-01,728", "does not start with 0; write -1,728"),
    ("0,001,728", "does not start with 0; write 1,728"),  # two groups: thousands, not a decimal comma
    ("01 728", "does not start with 0; write 1 728"),
])
def test_the_comma_refusal_quotes_the_students_own_number(tmp_path, text, suggestion):
    assert load(tmp_path, f'"a" = "{text}"\n')["a"].problem.endswith(suggestion)


def test_a_number_too_large_for_float64_is_shown_as_written(tmp_path):
    import math

    assert math.isinf(float("1e400"))  # what TOML's float reads it as
    entries = load(tmp_path, '"a" = 1e400\n"b" = [1e400, 0.50]\n"c" = -inf\n')
    assert entries["a"].text == "1e400" and entries["a"].problem.startswith("1e400 is beyond what byhand can judge")
    assert entries["b"].text == "[1e400, 0.50]"
    assert entries["c"].text == "-inf" and entries["c"].problem == "expected a finite number, got -inf"


@pytest.mark.parametrize("value,words", [
    ("1970-01-01", "a date (1970-01-01)"),
    ("07:32:00", "a time of day (07:32:00)"),
    ("1979-05-27T07:32:00", "a date and time (1979-05-27T07:32:00)"),
])
def test_a_date_is_named_in_words(tmp_path, value, words):
    problem = load(tmp_path, f'"a" = {value}\n')["a"].problem
    assert problem.endswith(f"got {words}") and "datetime" not in problem


def test_a_bare_toml_number_is_judged_and_shown_as_written(tmp_path):
    """TOML would read 0.50 as 0.5 and 6e4 as 60000.0: the digits the student wrote set the unit,
    trailing zeros and exponent included, and the report shows them."""
    entries = load(tmp_path, '''
        "a" = 0.50
        "b" = 6e4
        "c" = 6.0e4
        "d" = 1_000.25
        "e" = -0.0
    ''')
    texts = {key: entry.numbers.text for key, entry in entries.items()}
    units = {key: entry.numbers.unit for key, entry in entries.items()}
    assert texts == {"a": "0.50", "b": "6e4", "c": "6.0e4", "d": "1_000.25", "e": "-0.0"}
    assert units["a"] == pytest.approx(0.01) and units["b"] == pytest.approx(1e4) and units["c"] == pytest.approx(1e3)
    assert units["d"] == pytest.approx(0.01) and entries["d"].numbers.value == 1000.25


def test_digit_separators_are_not_decimals(tmp_path):
    entries = load(tmp_path, '''
        "a" = 0.251_692
        "b" = 5.057_5e-4
    ''')
    assert entries["a"].numbers.unit == pytest.approx(1e-6) and entries["b"].numbers.unit == pytest.approx(1e-8)
