# SPDX-License-Identifier: GPL-2.0-only
"""32-bit frame words read out of a stream of MDIO bits, many at once.

The decoder and the preamble-suppression aligner both need the 32 bits that follow
each place a frame may start (ST, OP, PHYAD, REGAD, TA and data of IEEE 802.3
22.2.4.5).  Rather than gathering 32 bits per frame, the stream is packed once,
most significant bit first (``np.packbits``), and each word is read as the five
bytes around it, shifted into place (the last bit of the second word lies past
the stream: it reads 0)::

    >>> import numpy as np
    >>> bits = np.array([1, 1] + [0, 1, 1, 0] * 8 + [1], np.uint8)
    >>> [hex(w) for w in packed_words(np.packbits(bits == 1), np.array([2, 4]))]
    ['0x66666666', '0x9999999a']
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["packed_words"]


def packed_words(
    packed: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint32]:
    """The 32 bits from each start (a bit index) as a word, first bit highest; bits
    past the end of ``packed`` read 0."""
    p = np.zeros(packed.size + 4, np.uint64)  # a word's 5 bytes: up to 4 past the last
    p[: packed.size] = packed
    k = starts >> 3
    forty = p[k] << np.uint64(32) | p[k + 1] << np.uint64(24) | p[k + 2] << np.uint64(16)
    forty |= p[k + 3] << np.uint64(8) | p[k + 4]
    shift = np.uint64(8) - (starts & 7).astype(np.uint64)
    return ((forty >> shift) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
