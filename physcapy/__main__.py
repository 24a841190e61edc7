# SPDX-License-Identifier: GPL-2.0-only
"""``python -m physcapy`` is the ``physcapy`` command."""

import sys

from physcapy.cli.main import main

sys.exit(main())
