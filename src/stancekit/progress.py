"""A one-line progress report for long batch runs, shown only on a terminal.

The line is rewritten in place (carriage return, no newline) at most every
``interval`` seconds and wiped by :meth:`Progress.close`, so the summary printed after
it starts on a clean line. When the stream is not a terminal (a pipe, a log file, CI)
nothing is written at all.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``seconds`` as ``M:SS`` or ``H:MM:SS``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Rows done, rows per second and, when the input size is known, percent and ETA.

    Parameters
    ----------
    total : int, optional
        Size of the input in bytes (for ``.gz`` input, the compressed size); unknown
        for standard input. Percent and ETA are shown only when it is known.
    stream : file, optional
        Where to write; default ``sys.stderr``.
    enabled : bool, optional
        Force the line on or off; by default it is shown only when ``stream`` is a
        terminal.
    interval : float, default=0.5
        Minimum seconds between two redraws.

    Examples
    --------
    >>> p = Progress(total=1000, enabled=False)
    >>> p.start(); p.update(10, position=100); p.close()
    """

    def __init__(
        self,
        *,
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        interval: float = 0.5,
    ):
        self.total = total
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self._t0: float | None = None
        self._base_rows = 0
        self._base_position = 0
        self._last = 0.0
        self._width = 0

    @property
    def active(self) -> bool:
        """Whether anything will be written."""
        if self.enabled is not None:
            return self.enabled
        stream = self.stream or sys.stderr
        try:
            return bool(stream.isatty())
        except (AttributeError, ValueError):
            return False

    def start(self, rows: int = 0, position: int | None = None) -> None:
        """Start the clock; ``rows`` and ``position`` already done (e.g. resumed) are not timed."""
        self._t0 = time.monotonic()
        self._base_rows = rows
        self._base_position = position or 0

    def update(self, rows: int, position: int | None = None, *, force: bool = False) -> None:
        """Redraw if the interval has passed: ``rows`` done so far, ``position`` bytes read."""
        if not self.active:
            return
        now = time.monotonic()
        if self._t0 is None:
            self.start()
            self._t0 = now
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self._write(self.line(rows, position, now))

    def line(self, rows: int, position: int | None = None, now: float | None = None) -> str:
        """The text of the progress line."""
        now = time.monotonic() if now is None else now
        elapsed = max(now - (self._t0 if self._t0 is not None else now), 1e-9)
        rate = (rows - self._base_rows) / elapsed
        parts = [f"{rows:,} rows", f"{rate:,.0f} rows/s"]
        if self.total and position is not None:
            done = min(max(position, 0), self.total)
            parts.append(f"{100 * done / self.total:.0f}%")
            speed = (done - self._base_position) / elapsed
            if speed > 0 and elapsed >= 1.0:
                parts.append(f"ETA {format_duration((self.total - done) / speed)}")
        parts.append(f"elapsed {format_duration(elapsed)}")
        return "stancekit: " + "  ".join(parts)

    def _write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        pad = max(0, self._width - len(text))
        stream.write("\r" + text + " " * pad)
        stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """Wipe the line (if one was drawn)."""
        if self._width and self.active:
            stream = self.stream or sys.stderr
            stream.write("\r" + " " * self._width + "\r")
            stream.flush()
        self._width = 0
