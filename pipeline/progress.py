"""A progress bar over articles on stderr (tqdm): done/total, rate, ETA and failures, shown only
when stderr is a terminal, so that logs and pipes stay clean."""

from __future__ import annotations

import os
from typing import IO


class Progress:
    """Articles done / total, rate, ETA and failures on stderr when it is a terminal (tqdm);
    nothing otherwise."""

    def __init__(self, total: int, stream: IO[str], enabled: bool | None = None) -> None:
        self.bar = None
        if self.shown(stream, enabled) and total:
            from tqdm import tqdm

            try:
                size = os.get_terminal_size(stream.fileno())
                width, height = size.columns, size.lines
            except (OSError, ValueError, AttributeError):
                width = height = 0
            # A terminal that reports no size (some ptys, CI consoles) gets 80 x 24: with 0,
            # tqdm would draw nothing.
            self.bar = tqdm(total=total, unit="art", file=stream, ncols=width or 80, nrows=height or 24, desc="summarising")
        self.failed = 0

    @staticmethod
    def shown(stream: IO[str] | None, enabled: bool | None = None) -> bool:
        """Whether a bar is drawn: as ``enabled`` says, or (None) when ``stream`` is a terminal."""
        if stream is None:
            return False
        if enabled is None:
            return bool(hasattr(stream, "isatty") and stream.isatty())
        return enabled

    def update(self, failed: bool) -> None:
        if failed:
            self.failed += 1
        if self.bar is not None:
            self.bar.update(1)
            if failed:
                self.bar.set_postfix(failed=self.failed)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
