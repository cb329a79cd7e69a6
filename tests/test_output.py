"""Writing is all or nothing: an interrupted write leaves the previous file as it was."""

import os

import pytest

from solver.errors import OutputError
from solver.output import write_all, write_atomically


class Interrupted(Exception):
    pass


def test_interrupted_write_keeps_the_previous_sheet(tmp_path, monkeypatch):
    sheet = tmp_path / "sheet.md"
    sheet.write_text("previous sheet")
    real_fdopen = os.fdopen

    def half_then_interrupt(*args, **kwargs):
        stream = real_fdopen(*args, **kwargs)
        real_write = stream.write

        def write(text):
            real_write(text[: len(text) // 2])
            stream.flush()
            raise Interrupted("power cut")
        stream.write = write
        return stream

    monkeypatch.setattr(os, "fdopen", half_then_interrupt)
    with pytest.raises(Interrupted):
        write_atomically(sheet, "new sheet " * 1000)
    assert sheet.read_text() == "previous sheet"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.md"]  # no temporary file left behind


def test_failed_rename_keeps_the_previous_sheet(tmp_path, monkeypatch):
    sheet = tmp_path / "sheet.md"
    sheet.write_text("previous sheet")
    monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_atomically(sheet, "new")
    assert sheet.read_text() == "previous sheet" and len(list(tmp_path.iterdir())) == 1


def test_nothing_is_written_when_one_target_is_refused(tmp_path):
    exercise = tmp_path / "ex.toml"
    exercise.write_text("title = 'x'")
    with pytest.raises(OutputError):
        write_all({tmp_path / "a.md": "a", tmp_path / "ex.md": "b", exercise: "c"}, protected={exercise})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex.toml"]


def test_unwritable_directory_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot write"):
        write_all({blocker / "sheet.md": "x"}, protected=set())


def test_a_killed_writers_temporaries_are_removed_on_the_next_write(tmp_path):
    import os

    dead = tmp_path / ".sheet.tex.byhand-999999999.k1ll.tmp"
    other_dead = tmp_path / ".other.md.byhand-999999999.k1ll.tmp"
    alive = tmp_path / f".sheet.tex.byhand-{os.getpid()}.live.tmp"  # a byhand that is still writing
    foreign = tmp_path / ".sheet.tex.editor.tmp"
    for path in (dead, other_dead, alive, foreign):
        path.write_text("partial")
    write_atomically(tmp_path / "sheet.tex", "new")
    assert not dead.exists() and not other_dead.exists()
    assert alive.exists() and foreign.exists()
    assert (tmp_path / "sheet.tex").read_text() == "new"


def test_a_sheet_gets_the_permissions_of_any_new_file(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "sheet.md", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "sheet.md").stat().st_mode) == 0o644


def test_a_symbolic_link_is_followed_and_kept(tmp_path):
    """-o link.md, where link.md points at the real sheet: the sheet it points at is replaced,
    the link stays a link (a rename over the link would leave the old sheet in place)."""
    target = tmp_path / "elsewhere" / "sheet.md"
    target.parent.mkdir()
    target.write_text("old sheet")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_all({link: "new sheet"}, protected=set())
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new sheet"
    assert sorted(p.name for p in target.parent.iterdir()) == ["sheet.md"]  # no temporary left


def test_a_pipe_is_written_into_not_replaced(tmp_path):
    """-o FIFO (or /dev/stdout, a device): renaming a file over it would destroy it and its
    reader would get nothing; its reader gets the sheet and the FIFO is still a FIFO."""
    import stat
    import threading

    fifo = tmp_path / "sheet.md"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_all({fifo: "the sheet ∂E/∂w\n"}, protected=set())
    reader.join(timeout=10)
    assert received == ["the sheet ∂E/∂w\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.md"]
