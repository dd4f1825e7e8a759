"""Where a command's data goes: standard output, or a file written whole or not at all.

``-o FILE`` is written to a temporary file beside it and renamed over it only when the command
has something to show, so a run that fails — or that names one of its own inputs as its output
— never leaves a truncated file where the previous one was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kiku.errors import ConfigError


class Output:
    """A text sink for one command's data; :meth:`discard` keeps the previous file."""

    def __init__(self, stream: IO[str], path: Path | None = None, tmp: Path | None = None) -> None:
        self.stream = stream
        self.path = path
        self._tmp = tmp
        self.discarded = False

    def write(self, text: str) -> int:
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def discard(self) -> None:
        """Nothing worth keeping was written: leave the file at ``path`` as it was."""
        self.discarded = True


@contextmanager
def open_output(path: str | os.PathLike[str] | None, stdout: IO[str]) -> Iterator[Output]:
    """``stdout`` when ``path`` is None or ``-``; else a temporary file in the same folder that
    replaces ``path`` when the block ends without an error and without :meth:`Output.discard`."""
    if path is None or str(path) == "-":
        yield Output(stdout)
        stdout.flush()
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            out = Output(fh, target, tmp)
            yield out
        if out.discarded:
            tmp.unlink(missing_ok=True)
        else:
            # mkstemp makes the file private (0600); an output file gets the usual mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def refuse_input_as_output(output: str | None, inputs: Iterable[str]) -> None:
    """A usage error when ``-o`` names a file that is also an input: the run would replace
    the articles it reads with their summaries."""
    if output is None or output == "-":
        return
    target = Path(output).resolve()
    for name in inputs:
        if name != "-" and "://" not in name and Path(name).resolve() == target:
            raise ConfigError(f"-o {output}: that file is one of the inputs; write the output to another file")
