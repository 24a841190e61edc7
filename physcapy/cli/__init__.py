# SPDX-License-Identifier: GPL-2.0-only
"""The ``physcapy`` command line (design.md §3.3).

``main`` parses the command line and dispatches to one module per command group;
every command prints one line and exits 2 on bad input.  The top face: may import
everything in the package.
"""
