# SPDX-License-Identifier: GPL-2.0-only
"""``python -m physcapy`` is the ``physcapy`` command."""

from physcapy.cli.main import run

run()
