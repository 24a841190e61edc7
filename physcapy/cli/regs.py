# SPDX-License-Identifier: GPL-2.0-only
"""The commands that need no bus: regs (decode, list, models) and frame (build, parse)."""

from __future__ import annotations

import argparse
from typing import Any

from physcapy.cli.common import _formats, _print_json
from physcapy.errors import PhyscapyError, parse_int


def add_parsers(sub: Any) -> None:
    """Add the regs and frame subcommands to ``sub`` (``build_parser``'s)."""
    regs = sub.add_parser(
        "regs",
        help="list and decode PHY registers",
        description="List a model's registers or decode a register value.",
        epilog="examples:\n  physcapy regs decode BMSR 0x796D\n"
        "  physcapy regs decode 7.0x20 0x1000\n"
        "  physcapy regs list --model lan8720a\n  physcapy regs models",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rsub = regs.add_subparsers(dest="regs_command", metavar="ACTION", required=True)
    decode = rsub.add_parser(
        "decode",
        help="decode a register value field by field",
        epilog="examples:\n  physcapy regs decode BMSR 0x796D\n"
        "  physcapy regs decode 0x1f 0x1058 --model lan8720a --style flags",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    decode.add_argument(
        "reg",
        metavar="REG",
        help="number (1, 0x01), name (BMSR), DEVAD.REG (1.0, AN.0x20) or PAGE:REG",
    )
    decode.add_argument("value", metavar="VALUE", help="16-bit value (0x796D, 31085, 0b...)")
    decode.add_argument("--model", "-m", help="PHY model (default: the IEEE register set)")
    decode.add_argument(
        "--style",
        choices=["table", "flags", "mii-dump"],
        default="table",
        help="text layout: field table, phytool flags or U-Boot mii dump",
    )
    _formats(decode, "text", "json")
    decode.set_defaults(func=_cmd_regs_decode)

    lst = rsub.add_parser(
        "list",
        help="list the registers of a model",
        epilog="example:\n  physcapy regs list --model rtl8211f",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument("--model", "-m", help="PHY model (default: the IEEE register set)")
    _formats(lst, "text", "json")
    lst.set_defaults(func=_cmd_regs_list)

    models = rsub.add_parser(
        "models",
        help="list the PHY models physcapy knows",
        epilog="example:\n  physcapy regs models --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _formats(models, "text", "json")
    models.set_defaults(func=_cmd_regs_models)

    frame = sub.add_parser(
        "frame",
        help="build and parse MDIO frames",
        description="Build MDIO frames to bits and bytes, or parse them.",
    )
    fsub = frame.add_subparsers(dest="frame_command", metavar="ACTION", required=True)
    build = fsub.add_parser(
        "build",
        help="build a frame (or the frames of a Clause 45 access)",
        epilog="examples:\n  physcapy frame build --op read --phy 1 --reg BMSR\n"
        "  physcapy frame build --clause 45 --op read --phy 0 --reg AN --mmd-reg 0x20\n"
        "  physcapy frame build --op read --phy 1 --reg 3 --mmd-reg 0x14 --via-c22",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--clause", type=int, choices=[22, 45], default=22)
    build.add_argument(
        "--op", default="read", help="read, write (both clauses); address, read_inc (Clause 45)"
    )
    build.add_argument("--phy", default="0", help="PHYAD / PRTAD, 0-31")
    build.add_argument(
        "--reg", default="0", help="REGAD (number or Clause 22 name) / DEVAD (number or MMD name)"
    )
    build.add_argument("--data", default="0", help="16-bit data, 0-0xFFFF")
    build.add_argument("--ta", default=None, help="turnaround bits as sampled (default 0b10)")
    build.add_argument("--preamble", default="32", help="preamble length in bits (default 32)")
    build.add_argument(
        "--mmd-reg",
        default=None,
        help="expand a Clause 45 access to register MMD-REG into its frames",
    )
    build.add_argument(
        "--via-c22",
        action="store_true",
        help="with --mmd-reg: the four-frame register 13/14 sequence",
    )
    build.add_argument(
        "--function",
        default="data",
        help="with --via-c22: address, data, data_inc or data_inc_write",
    )
    _formats(build, "text", "bits", "hex", "scapy", "json")
    build.set_defaults(func=_cmd_frame_build)

    parse = fsub.add_parser(
        "parse",
        help="decode a frame from bits or hex",
        epilog="examples:\n  physcapy frame parse 0x6086796d\n"
        "  physcapy frame parse 0b0110000110000110100111100101101101",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument(
        "frame",
        metavar="BITS|HEX",
        help="0/1 bits (preamble = leading ones) or hex bytes (ff.. preamble)",
    )
    parse.add_argument("--model", "-m", help="PHY model used to decode the data")
    _formats(parse, "text", "json")
    parse.set_defaults(func=_cmd_frame_parse)


def _cmd_regs_decode(args: argparse.Namespace) -> int:
    from physcapy.registers.values import register

    value = register(args.reg, model=args.model)
    raw = parse_int(f"{value.spec.name} value", args.value, 0, 0xFFFF)
    value = type(value)(raw)
    if args.format == "json":
        _print_json(value.to_json())
    elif args.style == "flags":
        print(f"{value.spec.name} 0x{raw:04x}: {value.flags()}")
    elif args.style == "mii-dump":
        print(value.mii_dump())
    else:
        print(value.table())
    return 0


def _cmd_regs_list(args: argparse.Namespace) -> int:
    from physcapy.registers.models import model

    m = model(args.model)
    regs = list(m.all_registers())
    if args.format == "json":
        _print_json(
            {
                "model": m.name,
                "title": m.title,
                "source": m.source,
                "phy_id": m.phy_id,
                "phy_id_mask": m.phy_id_mask,
                "registers": [
                    {
                        "address": r.address if r.devad is None and r.page is None else r.key,
                        "name": r.name,
                        "title": r.title,
                        "reset": r.reset,
                        "fields": [
                            {
                                "bits": f.bits,
                                "name": f.name,
                                "access": f.access,
                                "description": f.desc,
                                **(
                                    {"enum": {str(k): v for k, v in f.enum.items()}}
                                    if f.enum
                                    else {}
                                ),
                            }
                            for f in r.named_fields
                        ],
                    }
                    for r in regs
                ],
            }
        )
        return 0
    ident = f", phy_id 0x{m.phy_id:08x} mask 0x{m.phy_id_mask:08x}" if m.phy_id is not None else ""
    print(f"{m.name}: {m.title}{ident}")
    print(f"source: {m.source}")
    for r in regs:
        print(f"  {r.key:>10}  {r.name:<16} reset 0x{r.reset:04x}  {r.title}")
    return 0


def _cmd_regs_models(args: argparse.Namespace) -> int:
    from physcapy.registers.models import all_models

    models = all_models()
    if args.format == "json":
        _print_json(
            [
                {
                    "name": m.name,
                    "title": m.title,
                    "kind": m.kind,
                    "aliases": m.aliases,
                    "phy_id": m.phy_id,
                    "phy_id_mask": m.phy_id_mask,
                    "source": m.source,
                    "pack": m.pack,
                }
                for m in models
            ]
        )
        return 0
    for m in models:
        ident = f"0x{m.phy_id:08x}/0x{m.phy_id_mask:08x}" if m.phy_id is not None else "standard"
        pack = "" if m.pack == "physcapy" else f"  [pack {m.pack}]"
        print(f"  {m.name:<18} {ident:<23} {m.title}{pack}")
    return 0


def _cmd_frame_build(args: argparse.Namespace) -> int:
    from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames, op_name

    phy = parse_int("PHYAD" if args.clause == 22 else "PRTAD", args.phy, 0, 31)
    reg = _frame_reg(args.clause, args.reg, args.mmd_reg is not None and args.via_c22)
    data = parse_int("DATA", args.data, 0, 0xFFFF)
    preamble = parse_int("preamble", args.preamble, 0, 4096)
    ta = parse_int("TA", args.ta, 0, 3) if args.ta is not None else 0b10
    frames: list[Frame]
    if args.via_c22 and args.mmd_reg is None:
        raise PhyscapyError("--via-c22 needs --mmd-reg (the MMD register to reach through 13/14)")
    if args.function != "data" and not args.via_c22:
        raise PhyscapyError(
            f"--function {args.function} applies with --via-c22 only (the MMD function "
            "written to register 13)"
        )
    if args.mmd_reg is not None:
        if args.via_c22:
            frames = c45_over_c22_frames(args.op, phy, reg, args.mmd_reg, data, args.function)
        elif args.clause != 45:
            raise PhyscapyError(
                "--mmd-reg needs --clause 45 (native) or --via-c22 (through registers 13/14)"
            )
        else:
            frames = c45_frames(args.op, phy, reg, args.mmd_reg, data)
        frames = [Frame(f.clause, f.op, f.phy, f.reg, f.data, ta, preamble) for f in frames]
    else:
        frames = [Frame(args.clause, op_name(args.clause, args.op), phy, reg, data, ta, preamble)]
    _emit_frames(frames, args.format)
    return 0


def _frame_reg(clause: int, text: str, devad: bool) -> int:
    """REGAD (a Clause 22 number or name) or DEVAD (a number or MMD name)."""
    from physcapy.errors import UnknownNameError
    from physcapy.registers.models import MMD_NAMES, model

    try:
        return parse_int("DEVAD" if clause == 45 or devad else "REGAD", text, 0, 31)
    except PhyscapyError:
        if any(c.isalpha() for c in text) and not text.lower().startswith("0x"):
            if clause == 45 or devad:
                for number, name in MMD_NAMES.items():
                    if name == text.upper():
                        return number
                raise UnknownNameError("MMD name", text, MMD_NAMES.values()) from None
            return model().register(text).address
        raise


def _emit_frames(frames: list[Any], fmt: str) -> None:
    if fmt == "json":
        _print_json([_frame_json(f) for f in frames] if len(frames) > 1 else _frame_json(frames[0]))
        return
    for f in frames:
        if fmt == "bits":
            print(f.bits())
        elif fmt == "hex":
            print(f.wire_bytes().hex() if f.preamble % 8 == 0 else f.to_bytes().hex())
        elif fmt == "scapy":
            print(_scapy_packet(f).command())
        else:
            print(f"{f}")
            print(f"  bits  {_grouped_bits(f)}")
            hex_text = f.wire_bytes().hex() if f.preamble % 8 == 0 else f.to_bytes().hex()
            print(f"  hex   {hex_text}")
            print(f"  scapy {_scapy_packet(f).summary()}")


def _scapy_packet(f: Any) -> Any:
    from physcapy.mdio.scapy import MDIO

    return MDIO(f.to_bytes())


def _grouped_bits(f: Any) -> str:
    word = format(f.word, "032b")
    parts = ["1" * f.preamble] if f.preamble else []
    parts += [word[0:2], word[2:4], word[4:9], word[9:14], word[14:16], word[16:]]
    return " ".join(parts)


def _frame_json(f: Any) -> dict[str, Any]:
    return {
        "clause": f.clause,
        "op": f.op,
        "phy": f.phy,
        "reg": f.reg,
        "data": f.data,
        "ta": f"{f.ta:02b}",
        "ta_ok": f.ta_ok,
        "preamble": f.preamble,
        "bits": f.bits(),
        "hex": f.to_bytes().hex(),
    }


def _cmd_frame_parse(args: argparse.Namespace) -> int:
    from physcapy.mdio.frames import Frame
    from physcapy.registers.models import model
    from physcapy.registers.values import register

    if args.model is not None:
        model(args.model)  # an unknown model is bad input, not a reason to show raw data
    text = args.frame.strip().replace("_", "").replace(" ", "")
    low = text.lower()
    if low.startswith("0b") or (len(text) >= 32 and set(text) <= {"0", "1"}):
        frame = Frame.from_bits(text)
    else:
        digits = low[2:] if low.startswith("0x") else low
        try:
            raw = bytes.fromhex(digits)
        except ValueError:
            raise PhyscapyError(
                f"frame {args.frame!r} is neither bits (0b..., 32 or more 0/1) "
                "nor hex bytes (8 hex digits, or more with ff preamble)"
            ) from None
        frame = Frame.from_bytes(raw)
    decoded = None
    if frame.clause == 22:
        try:
            decoded = register(frame.reg, frame.data, model=args.model)
        except PhyscapyError:
            decoded = None  # a vendor register the model does not describe: data stays raw
    if args.format == "json":
        out = _frame_json(frame)
        if decoded is not None:
            out["register"] = decoded.to_json()
        _print_json(out)
        return 0
    print(frame)
    print(f"  bits  {_grouped_bits(frame)}")
    if not frame.ta_ok:
        print(f"  turnaround {frame.ta:02b}: no PHY drove the second turnaround bit low")
    if decoded is not None:
        print("\n".join("  " + line for line in decoded.table().splitlines()))
    return 0
