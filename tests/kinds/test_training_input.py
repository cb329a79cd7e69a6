"""Bad training settings and optimizer exercises: one line naming the key, exit status 2,
nothing written, and the closest name suggested for a misspelt one."""

import subprocess
import sys
import tomllib

import pytest

from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.conftest import EXERCISES

OPTIMIZER_EXERCISE = """kind = "optimizer"
steps = 2
objective = "w^2/2"
[parameters]
w = [[1.0, 2.0], [3.0, 4.0]]
[optimizer]
name = "adam"
learning_rate = 0.1
"""


def shipped(name: str) -> dict:
    return tomllib.loads((EXERCISES / f"{name}.toml").read_text())


def refused(data: dict, limits: Limits = Limits()) -> str:
    with pytest.raises(ExerciseError) as raised:
        parse_exercise(data, "bad.toml", limits=limits)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("change,expected", [
    ({"name": "adamw"}, "training.optimizer.name: expected one of"),
    ({"name": "moment"}, "did you mean 'momentum'?"),
    ({"momentun": 0.9}, "training.optimizer.momentun: unknown key (did you mean 'momentum'?)"),
    ({"beta1": 1.0}, "training.optimizer.beta1: expected a number from 0 up to (not including) 1, got 1"),
    ({"beta2": -0.1}, "training.optimizer.beta2: expected a number from 0 up to"),
    ({"rho": 1.5}, "training.optimizer.rho: expected a number from 0 up to"),
    ({"momentum": 1.0}, "training.optimizer.momentum: expected a number from 0 up to"),
    ({"epsilon": 0}, "training.optimizer.epsilon: expected a number above 0, got 0"),
    ({"epsilon": -1e-8}, "training.optimizer.epsilon: expected a number above 0"),
    ({"learning_rate": 0}, "training.optimizer.learning_rate: expected a number above 0"),
    ({"epsilon_placement": "under"}, "training.optimizer.epsilon_placement: expected one of 'outside', 'inside'"),
    ({"form": "nesterov"}, "training.optimizer.form: expected one of 'velocity', 'average'"),
    ({"name": "nesterov", "form": "average"}, "training.optimizer.form: Nesterov momentum is written in the velocity form"),
])
def test_bad_optimizer_settings_in_a_network(change, expected):
    data = shipped("mlp-2-2-1-adam-two-steps")
    data["training"]["optimizer"].update(change)
    assert expected in refused(data)


@pytest.mark.parametrize("change,key,expected", [
    ({"batch_size": 0}, "training.batch_size", "expected a whole number ≥ 1, got 0"),
    ({"batch_size": 5}, "training.batch_size", "expected at most the 4 samples, got 5"),
    ({"epochs": 0}, "training.epochs", "expected a whole number from 1"),
    ({"seed": -1}, "training.seed", "expected a whole number from 0"),
    ({"shuffle": "yes"}, "training.shuffle", "expected true or false"),
    ({"detail": "some"}, "training.detail", "expected one of 'first', 'all', 'summary'"),
    ({"schedule": {"name": "cosine"}}, "training.schedule.name", "expected one of"),
    ({"schedule": {"name": "inverse", "decay": -1}}, "training.schedule.decay", "expected a number of at least 0"),
    ({"clipping": {"scope": "global"}}, "training.clipping.threshold", "missing"),
    ({"clipping": {"threshold": 0}}, "training.clipping.threshold", "expected a number above 0"),
    ({"validation": [{"input": [1], "target": [1]}]}, "training.validation[0].input", "expected 2 numbers"),
])
def test_bad_training_runs(change, key, expected):
    data = shipped("mlp-minibatch-sgd-3-epochs")
    data["training"].update(change)
    message = refused(data)
    assert f"{key}: {expected}" in message


def test_minibatch_needs_a_batch_size():
    data = shipped("mlp-minibatch-sgd-3-epochs")
    del data["training"]["batch_size"]
    assert 'training.batch_size: missing; mode = "minibatch" needs batch_size = k' in refused(data)


def test_epochs_times_updates_beyond_the_step_limit_are_refused_before_any_is_worked():
    data = shipped("mlp-minibatch-sgd-3-epochs")
    data["training"]["epochs"] = 10**6
    # 4 samples in mini-batches of 2: 2 updates an epoch, by hand; two layers: 3 + 8 · 2 = 19 steps an update
    assert "bad.toml: training.epochs: 1,000,000 epochs of 2 updates is 2,000,000 updates of at least 19 steps " \
           "each (38,000,000 steps), more than the limit of 5,000 steps; raise it with --max-steps" in refused(data)


ONE_SAMPLE = """[network]
inputs = 1
activation = "sigmoid"
weights = 0.5
biases = 0

[[network.layers]]
units = 1

[training]
epochs = {epochs}
samples = [{{ input = [1], target = [1] }}]
"""


def test_the_epochs_limit_names_the_training_key_and_its_line_from_the_command_line(tmp_path):
    (tmp_path / "c.toml").write_text(ONE_SAMPLE.format(epochs=100000))
    run = subprocess.run([sys.executable, "-m", "solver", "solve", "c.toml"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 2 and run.stdout == ""
    # one sample, stochastic: one update an epoch, so 100,000 updates, each of at least 3 + 8 = 11 steps
    assert run.stderr.strip().splitlines() == [
        "byhand: c.toml:11: training.epochs: 100,000 epochs of 1 update is 100,000 updates of at least 11 steps "
        "each (1,100,000 steps), more than the limit of 5,000 steps; raise it with --max-steps"]


@pytest.mark.parametrize("epochs,parts,expected", [
    # part b inherits a's 5 epochs and adds a sample: 5 epochs of 2 updates, blamed on the key that set the 5
    (1, '[[parts]]\nname = "a"\nepochs = 5\n\n[[parts]]\nname = "b"\nadd_samples = [{ input = [0], target = [0] }]\n',
     "parts[0].epochs: 5 epochs of 2 updates is 10 updates of at least 11"),
    (1, '[[parts]]\nname = "a"\n\n[[parts]]\nname = "b"\nepochs = 7\n', "parts[1].epochs: 7 epochs of 1 update is 7 updates of at least 11"),
    (7, '[[parts]]\nname = "a"\n', "training.epochs: 7 epochs of 1 update is 7 updates of at least 11"),
])
def test_the_epochs_limit_names_the_key_that_set_the_epochs(epochs, parts, expected):
    # one layer: at least 11 steps an update, so the limit allows 6 updates
    message = refused(tomllib.loads(ONE_SAMPLE.format(epochs=epochs) + "\n" + parts), Limits(steps=6 * 11))
    assert message.startswith(f"bad.toml: {expected}"), message


def test_without_epochs_written_the_limit_names_the_samples():
    text = ONE_SAMPLE.format(epochs=1).replace("epochs = 1\n", "").replace(
        'samples = [{ input = [1], target = [1] }]', 'samples = [{ input = [1], target = [1] }, { input = [0], target = [0] }]')
    assert "epochs" not in text
    message = refused(tomllib.loads(text), Limits(steps=11))
    assert message.startswith("bad.toml: training.samples: 1 epoch of 2 updates is 2 updates of at least 11 steps "
                              "each (22 steps), more than the limit of 11 steps;"), message


def optimizer_data(**changes) -> dict:
    data = tomllib.loads(OPTIMIZER_EXERCISE)
    for key, value in changes.items():
        data[key] = value
    return data


@pytest.mark.parametrize("changes,expected", [
    ({"parameters": {}}, "parameters: expected a table of one or more named values"),
    ({"parameters": {"w_1": 1.0}}, "parameters.w_1: expected a name of letters and digits"),
    ({"parameters": {"f": 1.0}}, "parameters.f: 'f' names a step of the solution"),
    ({"parameters": {"w": 1.0, "dw": 2.0}}, "parameters.dw: 'dw' names a step of the solution"),
    ({"parameters": {"w": [[1, 2], [3]]}}, "parameters.w: expected a list of rows of equal length"),
    ({"objective": "w^2 + v"}, "objective: unknown name 'v'; the names here are w"),
    ({"objective": "__import__('os')"}, "objective: calling __import__ is not allowed"),
    ({"gradients": {"w": [[1, 2], [3, 4]]}}, "objective: expected either objective"),
    ({"optimizer": {"name": "adam"}}, "optimizer.learning_rate: missing"),
    ({"optimizer": {"name": "sgd", "learning_rate": 0.1, "beta": 0.9}}, "optimizer.beta: unknown key"),
    ({"state": {"w": {"velocity": [[0, 0], [0, 0]]}}}, "state.w.velocity: adam keeps first_moment, second_moment"),
    ({"state": {"w": {"first_moment": [[0, 0, 0], [0, 0, 0]]}}}, "state.w.first_moment: expected the shape of its parameter, 2×2, got 2×3"),
    ({"state": {"w": {"moment": 1}}}, "state.w.moment: unknown key (did you mean 'first_moment'?)"),
    ({"state": {"t": -1}}, "state.t: expected a whole number from 0"),
    ({"state": {"v": {}}}, "state.v: unknown key"),
    ({"steps": 0}, "steps: expected a whole number from 1"),
    ({"kind": "optimiser"}, "kind: unknown kind 'optimiser'; expected one of mlp, optimizer, graph"),
])
def test_bad_optimizer_exercises(changes, expected):
    assert expected in refused(optimizer_data(**changes))


def test_an_objective_mixing_shapes_is_refused():
    data = optimizer_data(parameters={"w": [[1.0, 2.0], [3.0, 4.0]], "b": [1.0, 2.0, 3.0]}, objective="w*b")
    assert "objective: ∂f/∂w combines parameters whose shapes do not fit w's (2×2)" in refused(data)


def test_a_bad_file_is_one_line_exit_2_and_nothing_written(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(OPTIMIZER_EXERCISE.replace('name = "adam"', 'name = "adamw"'))
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path), "-o", str(tmp_path / "out.md")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "optimizer.name: expected one of" in run.stderr and "did you mean 'adam'?" in run.stderr
    assert not (tmp_path / "out.md").exists()


def test_epochs_whose_steps_alone_outgrow_the_limit_are_refused_at_once_at_the_epochs_key(tmp_path):
    import time

    from solver.exercise import load_exercise

    # 2,000 updates is under the 5,000 limit, but each records at least 11 steps: 22,000 steps
    (tmp_path / "c.toml").write_text(ONE_SAMPLE.format(epochs=2000))
    started = time.perf_counter()
    with pytest.raises(ExerciseError) as raised:
        load_exercise(tmp_path / "c.toml")
    assert time.perf_counter() - started < 0.5
    assert (raised.value.key, raised.value.line) == ("training.epochs", 11)
    assert raised.value.message == ("2,000 epochs of 1 update is 2,000 updates of at least 11 steps each (22,000 "
                                    "steps), more than the limit of 5,000 steps; raise it with --max-steps")


def test_steps_beyond_the_limit_that_the_reader_could_not_foresee_are_blamed_on_the_epochs(tmp_path):
    from solver.engine import solve
    from solver.errors import LimitError
    from solver.exercise import load_exercise

    # by hand, an update of this 1-1 network records x0, t, W1, b1, z1, x1, E, f'1, δ1, ∂W1, ∂b1, W1_new,
    # b1_new (13) and each epoch its E_train: 14 an epoch, so 400 epochs are 5,600 steps, while the
    # reader's bound, 400 · 11 = 4,400, is within the limit
    (tmp_path / "c.toml").write_text(ONE_SAMPLE.format(epochs=400))
    exercise = load_exercise(tmp_path / "c.toml")
    with pytest.raises(LimitError) as raised:
        solve(exercise)
    assert (raised.value.key, raised.value.line) == ("training.epochs", 11)
    assert raised.value.message.startswith("a.t358.")
    assert raised.value.message.endswith("the solution needs more than 5,000 steps; raise the limit with --max-steps")
    # 357 epochs of 14 steps are 4,998 steps; the 358th epoch's update is where the limit is reached
    assert 357 * 14 <= 5000 < 358 * 14


def test_the_fewest_steps_an_update_records_is_a_true_lower_bound():
    from solver.engine import solve
    from solver.exercise import load_exercise
    from solver.kinds.mlp.reader import least_steps_per_update

    shipped_mlp = sorted(EXERCISES.glob("mlp-*.toml"))
    assert len(shipped_mlp) > 10
    for path in shipped_mlp:
        exercise = load_exercise(path)
        updates = sum(part.epochs * part.updates_per_epoch for part in exercise.parts if part.train)
        steps = len(solve(exercise).steps)
        assert steps >= updates * least_steps_per_update(exercise.setup), path.name
