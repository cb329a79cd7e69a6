"""The cache on disk: remembered work comes back, anything doubtful is recomputed, and a sheet
is the same with the cache warm, cold or off."""

import os
import pickle
import subprocess
import sys

import pytest
import sympy as sp

from solver import cache as disk_cache
from tests.conftest import EXERCISES


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BYHAND_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BYHAND_CACHE", raising=False)
    disk_cache.cache_directory.cache_clear()
    yield tmp_path / "cache"
    disk_cache.cache_directory.cache_clear()


class Counter:
    def __init__(self, value):
        self.calls, self.value = 0, value

    def __call__(self):
        self.calls += 1
        return self.value


def test_work_is_done_once_and_then_read_back(cache_dir):
    x = sp.Symbol("x")
    compute = Counter(sp.exp(x) / (1 + x))
    assert disk_cache.remembered("test", ("a",), compute) == compute.value
    assert disk_cache.remembered("test", ("a",), compute) == compute.value
    assert compute.calls == 1
    assert disk_cache.remembered("test", ("b",), compute) == compute.value and compute.calls == 2
    assert oct((cache_dir).stat().st_mode & 0o777) == "0o700"


def test_a_corrupt_entry_is_recomputed(cache_dir):
    compute = Counter(42)
    disk_cache.remembered("test", ("k",), compute)
    for entry in (cache_dir / "derivations").iterdir():
        entry.write_bytes(b"\x80\x04not a pickle")
    assert disk_cache.remembered("test", ("k",), compute) == 42 and compute.calls == 2


def test_a_directory_others_can_write_to_is_not_used(cache_dir):
    cache_dir.mkdir(mode=0o700)
    os.chmod(cache_dir, 0o777)
    assert disk_cache.cache_directory() is None
    compute = Counter(1)
    disk_cache.remembered("test", ("k",), compute)
    disk_cache.remembered("test", ("k",), compute)
    assert compute.calls == 2 and not any(cache_dir.iterdir())


def test_the_cache_can_be_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv("BYHAND_CACHE", "off")
    assert disk_cache.cache_directory() is None


def test_what_does_not_pickle_is_returned_and_not_kept(cache_dir):
    compute = Counter(lambda: None)  # a lambda cannot be pickled
    assert disk_cache.remembered("test", ("k",), compute) is compute.value
    assert not (cache_dir / "derivations").exists() or not any((cache_dir / "derivations").iterdir())


def test_a_result_is_filed_under_the_code_that_derived_it(cache_dir, monkeypatch):
    compute = Counter(7)
    disk_cache.remembered("test", ("k",), compute)
    monkeypatch.setattr(disk_cache, "_version", lambda: "another version of solver/symbolic")
    disk_cache.remembered("test", ("k",), compute)
    assert compute.calls == 2


def _sheet(tmp_path, *env_items) -> str:
    env = {**os.environ, **dict(env_items)}
    env.pop("PYTHONPATH", None)
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(EXERCISES / "mlp-4-4-3-3-softmax-ce.toml")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_a_sheet_is_the_same_with_the_cache_cold_warm_or_off(tmp_path):
    directory = str(tmp_path / "fresh")
    cold = _sheet(tmp_path, ("BYHAND_CACHE_DIR", directory))
    warm = _sheet(tmp_path, ("BYHAND_CACHE_DIR", directory))
    off = _sheet(tmp_path, ("BYHAND_CACHE", "off"))
    assert cold == warm == off
    kept = os.listdir(directory)
    assert any(name.startswith("__jinja2_") for name in kept) and "derivations" in kept
    for entry in (tmp_path / "fresh" / "derivations").iterdir():
        pickle.loads(entry.read_bytes())  # whole entries only, no temporaries left
