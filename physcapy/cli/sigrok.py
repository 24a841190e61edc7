# SPDX-License-Identifier: GPL-2.0-only
"""``physcapy sigrok install|export``: write the ``mdio_phy`` decoder for sigrok-cli and
PulseView (physcapy.sigrok)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    """Add the sigrok subcommand (install, export) to ``sub``."""
    p = sub.add_parser(
        "sigrok",
        help="write the mdio_phy decoder (register names and fields) for PulseView/sigrok-cli",
        description=(
            "Write mdio_phy, a sigrok protocol decoder that stacks on sigrok's mdio decoder "
            "and shows register names, decoded fields and driver sequences, with register "
            "tables made from every loaded register description (third-party packs too). "
            "The decoder is GPL-2.0-or-later and needs only the Python libsigrokdecode embeds."
        ),
        epilog=(
            "examples:\n"
            "  physcapy sigrok install\n"
            "  sigrok-cli -i capture.sr -P mdio:mdc=MDC:mdio=MDIO,mdio_phy -A mdio_phy\n"
            "  physcapy sigrok export /tmp/decoders && SIGROKDECODE_DIR=/tmp/decoders pulseview"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    inst = actions.add_parser(
        "install",
        help="into the per-user decoder folder (~/.local/share/libsigrokdecode/decoders)",
    )
    inst.add_argument("--dir", help="another decoder folder (created if missing)")
    inst.set_defaults(func=_cmd_install)
    exp = actions.add_parser("export", help="into DIR (use with SIGROKDECODE_DIR=DIR)")
    exp.add_argument("dir", metavar="DIR", help="folder to write mdio_phy/ into")
    exp.set_defaults(func=_cmd_export)


def _cmd_install(args: argparse.Namespace) -> int:
    from physcapy.sigrok.export import install

    folder = install(args.dir)
    print(f"installed {folder}: sigrok-cli -P mdio:mdc=MDC:mdio=MDIO,mdio_phy -A mdio_phy")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from physcapy.sigrok.export import install

    folder = install(args.dir)
    print(f"wrote {folder}: SIGROKDECODE_DIR={args.dir} sigrok-cli -P mdio,mdio_phy ...")
    return 0
