"""Writing sheets: to files all or nothing, each file replaced only once its new text is complete;
to stdout all of it, or an error."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from solver.errors import OutputError
from solver.text import one_line


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8 with \\n line ends, or bytes as they are) to a temporary
    file beside `path`, then rename it over `path`. Temporaries that a killed byhand left in that
    directory are removed first.

    Only a regular file is replaced. A symbolic link is followed: the file it points to is
    replaced and the link kept. A device, a pipe or a socket (-o /dev/stdout, a FIFO) cannot be
    replaced by a rename without destroying it: it is written into as it is."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if is_stream(path):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{_MARK}{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a sheet is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_stream(path: Path) -> bool:
    """Whether `path` is a device, a pipe or a socket (through any symbolic link): written into,
    never replaced, and with nothing written beside it."""
    return path.exists() and not path.is_file() and not path.is_dir()


def remove_stale_temporaries(directory: Path) -> None:
    """Delete byhand's temporaries in `directory` (``.NAME.byhand-PID.XXXX.tmp``) whose process
    is no longer running: a kill between writing and renaming leaves one. A running byhand's
    temporary is left alone."""
    for temporary in directory.glob(f".*{_MARK}*.tmp"):
        pid = temporary.name.rpartition(_MARK)[2].partition(".")[0]
        if pid.isdigit() and not _running(int(pid)):
            temporary.unlink(missing_ok=True)


_MARK = ".byhand-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(outputs: dict[Path, str | bytes], protected: set[Path], *, sheets: bool = True) -> None:
    """Write every file, after checking that none would replace a file in `protected`, and
    that no sheet lands on a .toml path, where exercises and answers live."""
    resolved = {path.resolve() for path in protected}
    for path in outputs:
        if sheets and path.suffix.lower() == ".toml":
            raise OutputError("refusing to write a sheet to a .toml file (exercises and answers are TOML)",
                              file=str(path))
        if path.resolve() in resolved:
            raise OutputError("refusing to overwrite an input file with a sheet", file=str(path))
        if path.is_dir():
            raise OutputError("is a directory; expected a file to write the sheet to", file=str(path))
    try:
        for path, content in outputs.items():
            write_atomically(path, content)
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror})", file=error.filename or "") from None


def write_stdout(content: str | bytes) -> None:
    """Write `content` (text as UTF-8, as in a file) to stdout now, all of it. A reader that went
    away raises BrokenPipeError (the CLI stops quietly); any other failure (a full disk) is an
    OutputError. Python's buffered stdout can report a cut-short write to a closed pipe as a
    success, so the bytes go to the file descriptor in a loop that counts them."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        sys.stdout.flush()
        try:
            descriptor = sys.stdout.fileno()
        except (AttributeError, ValueError, io.UnsupportedOperation):  # a stream in memory (tests)
            if isinstance(content, bytes):
                sys.stdout.buffer.write(content)
            else:
                sys.stdout.write(content)
            return
        left = memoryview(data)
        while left:
            left = left[os.write(descriptor, left):]
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write to standard output ({error.strerror})") from None


def progress_line(index: int, total: int, name: str) -> None:
    """One line on stderr as each exercise of a batch starts: [2/36] mlp-5-3-2-sigmoid."""
    print(f"[{index}/{total}] {one_line(name, 200)}", file=sys.stderr, flush=True)


def progress_bar(label: str):
    """A progress bar on stderr when it is a terminal, else None (nothing to draw over)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, count: int) -> None:
        filled = 30 * done // count
        end = "\n" if done == count else ""
        sys.stderr.write(f"\r{one_line(label, 40)} [{'#' * filled}{'.' * (30 - filled)}] {done}/{count}{end}")
        sys.stderr.flush()

    return show
