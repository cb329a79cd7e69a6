"""The help text of each `byhand` command (solver/cli.py): its description and examples."""

SOLVE_HELP = """\
Work an exercise and print its sheet (Markdown by default).

examples:
  byhand solve exercises/mlp-5-3-2-sigmoid.toml
  byhand solve mlp-4-4-3-3-tanh --format tex -o sheet.tex
  byhand solve mlp-4-4-3-3-tanh --format html -o sheet.html   (needs pip install "byhand[html]")
  byhand solve mlp-4-4-3-3-tanh --format pdf -o sheet.pdf     (needs pdflatex)
  byhand solve exercises/*.toml --format md --format tex -o output/
  byhand solve exercises/*.toml -o sheets/ --keep-going

EXERCISE is a path, or the name of a shipped exercise (see `byhand list`). With several
exercises or formats, -o names a directory and each sheet is called after its exercise.
Nothing is written unless every sheet could be made; with --keep-going an exercise that cannot
be solved is listed and skipped, the others' sheets are written, and the exit status is 1.
With several exercises a one-line summary ends on stderr (and progress, on a terminal).
"""

TEMPLATE_HELP = """\
Write a blank answers file for an exercise: every step you compute, in the order of the sheet,
with its symbol and shape. Fill in any of them and check them with `byhand check`.

examples:
  byhand template mlp-5-3-2-sigmoid > my-answers.toml
  byhand template exercises/mlp-4-4-3-3-tanh.toml -o my-answers.toml
"""

CHECK_HELP = """\
Check your own numbers step by step: correct, wrong (with the likely slip), follows through
(right from your own earlier mistake) or could not check (with the reason).

examples:
  byhand check mlp-5-3-2-sigmoid my-answers.toml
  byhand check exercises/mlp-4-4-3-3-tanh.toml my-answers.toml --format json
  byhand check mlp-5-3-2-sigmoid my-answers.toml --sigfigs 3

The digits you write set the tolerance (0.5498: four significant figures, rounded or truncated),
but never fewer than 3 significant figures unless the value is exact (1 is wrong for 1.41421);
--rtol or --sigfigs replace that rule. Exit status: 0 when every answered step is correct or
follows through, 1 when some are not or nothing is answered, 2 when the exercise or the answers
file cannot be used.
"""

DERIVE_HELP = """\
Show a derivation: an activation's derivative, or the output delta of a loss and an output
activation, worked symbolically by SymPy (the same expressions the solver evaluates).

examples:
  byhand derive activation sigmoid
  byhand derive activation softplus --param beta=2 --format tex
  byhand derive activation sigmoid --param beta --param gamma     (β and γ stay symbols)
  byhand derive activation custom --expression "x**3/3 + x"
  byhand derive delta --loss cross_entropy --activation softmax
  byhand derive delta --loss cross_entropy --activation sigmoid --param beta=2
  byhand derive delta --loss cross_entropy --activation custom --expression "exp((w*z)^2 + 1)" --param w
"""

VARIANTS_HELP = """\
Write N versions of an exercise, its numbers drawn from the exercise's [variants] table: for
each, the exercise file, its sheet and its answer key (NAME-v001.toml, NAME-v001.md,
NAME-v001-key.toml). The same seed gives the same files on every machine.

examples:
  byhand variants mlp-5-3-2-sigmoid --count 200 --seed 2026 -o variants/
  byhand variants exercises/*.toml --count 20 --seed 1 -o variants/ --keep-going

Nothing is written when an exercise cannot be used, unless --keep-going: then the others are
written, each broken file is named on stderr, and the exit status is 1.
"""

EXPORT_HELP = """\
Export an exercise as a quiz for a learning platform. `moodle`: Moodle XML, one Cloze question
per variant (or one for the exercise itself), a numerical blank for every entry of the steps the
exercise's `ask` list names, and the values of typical slips as wrong answers with their
explanation as feedback.

examples:
  byhand export moodle mlp-5-3-2-sigmoid -o quiz.xml
  byhand export moodle mlp-5-3-2-sigmoid --variants 200 --seed 2026 -o quiz.xml
"""

LIST_HELP = """\
List the exercises that ship with byhand, with their titles.

example:
  byhand list
"""
