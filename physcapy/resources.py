# SPDX-License-Identifier: GPL-2.0-only
"""Where the shipped data (``layers/``, ``sessions/``) lives at run time.

In a wheel both folders are package data (``physcapy/layers``); in a checkout
(editable install, or running from the source tree) they sit beside the
package.  ``PHYSCAPY_LAYERS`` overrides the register-description folder.

    >>> layers_dir().name
    'layers'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["layers_dir", "sessions_dir"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A shipped data folder (``layers``, ``sessions``), overrides aside."""
    inside = _PACKAGE / name  # installed from a wheel
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / name  # a checkout
    if beside.is_dir():
        return beside
    raise FileNotFoundError(
        f"physcapy data folder {name!r} not found in {inside} or {beside}: "
        "the installation is incomplete"
    )


def layers_dir() -> Path:
    """The folder holding the register descriptions (``*.toml``)."""
    override = os.environ.get("PHYSCAPY_LAYERS")
    if not override:
        return data_dir("layers")
    if not Path(override).is_dir():
        from physcapy.errors import PhyscapyError

        raise PhyscapyError(
            f"PHYSCAPY_LAYERS={override!r} is not a folder: set it to a folder of register "
            "descriptions (*.toml), or unset it for the shipped ones"
        )
    return Path(override)


def sessions_dir() -> Path:
    """The folder holding the recorded sessions shipped with physcapy."""
    return data_dir("sessions")
