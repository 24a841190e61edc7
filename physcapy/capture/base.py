# SPDX-License-Identifier: GPL-2.0-only
"""What every capture reader gives the decoder.

A reader knows its file's channels and time base and streams the MDC and MDIO
signals in blocks with bounded memory.  There are two kinds of block:

* :class:`SampleBlock`: consecutive raw samples (sigrok ``.sr``): one integer per
  sample, channel *k* in bit *k*;
* :class:`TransitionBlock`: level changes (VCD, Saleae CSV and binary), never
  expanded to samples.  Levels are 0, 1 or :data:`UNKNOWN` (VCD ``x``/``z``,
  Saleae ``X``).

Blocks come in time order; a transition block covers ``[t_begin, t_end)`` and a
change at ``t_end`` belongs to the next block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from physcapy.errors import CaptureError

__all__ = ["UNKNOWN", "CaptureReader", "SampleBlock", "TransitionBlock", "pick_channel"]

#: Level of a channel whose value the file does not give (x, z, X).
UNKNOWN = 2


@dataclass
class SampleBlock:
    """``samples[i]`` is sample number ``start + i``; bit k of each value is channel k."""

    start: int
    samples: npt.NDArray[np.unsignedinteger]


@dataclass
class TransitionBlock:
    """Level changes of MDC and MDIO within ``[t_begin, t_end)`` (seconds): each level
    differs from the one before it, across blocks too (readers drop entries that repeat
    a level; the glitch filter counts on it, a repeat would pair with a real edge).

    ``*_times`` are increasing; ``*_levels[i]`` is the level from ``*_times[i]`` on.
    ``*_pos`` give each change's position in the file (line number for VCD and CSV,
    transition index for Saleae binary), for error messages; a reader that gives none
    leaves them empty in all its blocks.
    """

    t_begin: float
    t_end: float
    mdc_times: npt.NDArray[np.float64]
    mdc_levels: npt.NDArray[np.uint8]
    mdio_times: npt.NDArray[np.float64]
    mdio_levels: npt.NDArray[np.uint8]
    mdc_pos: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    mdio_pos: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))


def capture_error(path: Path, exc: OSError | ValueError) -> CaptureError:
    """A file system or decoding error, as the CaptureError a reader raises."""
    if isinstance(exc, OSError):
        return CaptureError(f"{exc.filename or path}: {exc.strerror or exc}")
    return CaptureError(f"{path}: {exc}")


class CaptureReader:
    """Base of the readers.  Subclasses fill the attributes and implement ``blocks()``.

    ``channels`` are the file's channel names in order; ``mdc``/``mdio`` the indices
    chosen; ``samplerate`` is Hz for sampled formats (None when the format has no
    sample clock); ``initial`` the levels of (MDC, MDIO) before the first block.
    """

    path: Path
    channels: list[str]
    mdc: int
    mdio: int
    samplerate: float | None = None
    initial: tuple[int, int] = (0, 1)
    kind: str = ""

    def blocks(self) -> Iterator[SampleBlock | TransitionBlock]:
        raise NotImplementedError

    def _file_errors(self, blocks: Iterator[TransitionBlock]) -> Iterator[TransitionBlock]:
        """Pass ``blocks`` through, turning an unreadable file or a parse error nobody
        worded into the CaptureError that names the file."""
        try:
            yield from blocks
        except CaptureError:
            raise
        except (OSError, ValueError) as exc:
            raise capture_error(self.path, exc) from None

    def progress(self) -> float | None:
        """Fraction of the file read so far, for progress bars (None when unknown)."""
        return getattr(self, "_fraction", None)

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> CaptureReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pick_channel(path: Path, channels: list[str], wanted: str | int | None, role: str) -> int:
    """Index of channel ``wanted`` (a name, case-insensitive, or an index), else the one
    named like ``role`` (MDC/MDIO).  Errors list the channels the file has."""
    listing = ", ".join(f"{i}:{name}" for i, name in enumerate(channels))
    if wanted is None:
        for i, name in enumerate(channels):
            if name.strip().lower() == role.lower():
                return i
        raise CaptureError(
            f"{path}: no channel named {role}: the file has {listing}; "
            f"choose with --{role.lower()} NAME|INDEX"
        )
    if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.strip().isdigit()):
        index = int(wanted)
        if not 0 <= index < len(channels):
            raise CaptureError(
                f"{path}: {role} channel index {index} does not exist: the file has {listing}"
            )
        return index
    for i, name in enumerate(channels):
        if name.strip().lower() == str(wanted).strip().lower():
            return i
    raise CaptureError(f"{path}: {role} channel {wanted!r} does not exist: the file has {listing}")
