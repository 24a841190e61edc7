"""Mutation testing of physcapy's core with mutmut (issue 23): `make mutate`, `make mutate-quick`.

mutmut rewrites every function of the chosen modules into a trampoline plus its mutants,
records once which tests reach which function, then forks one worker per mutant that runs
only those tests; a mutant that no test fails on "survived".  This script runs it once per
group of modules (GROUPS: a subsystem and its test files), each in a scratch copy
(.cache/mutate/GROUP/) so the work tree is never touched and the verdicts of unchanged
code are kept between runs, then prints a per-module score and every survivor with its
diff (`python scripts/mutate.py --report` reprints it; `--list` names groups and tests).

    python scripts/mutate.py                 # the core, under an hour on two cores
    python scripts/mutate.py --quick         # a small fixed sample, under five minutes
    python scripts/mutate.py --only batch    # the core modules whose path contains 'batch'

Equivalent mutants (no observable behaviour can differ) are listed in EQUIVALENT below with
the reason; they are reported apart and not counted against the score.  What each of them
changed when it was checked is kept in scripts/mutate-equivalent.json: an edit that
renumbers a function's mutants shows as a listed mutant with another change, counted alive
until someone reads it again, corrects EQUIVALENT and runs `--pin` to record the new change.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The core modules (issue 23) in groups, each with the test files of its subsystem.  A
#: group runs in a scratch copy of its own, so mutmut collects only those files for a
#: mutant: with one selection for everything, a simulator mutant made pytest collect the
#: PAL, capture and FTDI suites too (reached through the simulator), seconds a mutant,
#: hours a run.  Tests of other subsystems that happen to reach a module are left out;
#: the ones written for it (and the golden files in tests/data) are in.
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "sim": (
        ["physcapy/sim/phy.py", "physcapy/sim/partner.py"],  # access semantics (22.2.4), AN
        ["tests/test_sim.py", "tests/test_sim_models.py", "tests/test_sim_parts.py",
         "tests/test_properties.py", "tests/test_mutants_sim.py", "tests/test_mutants_traffic.py"],
    ),
    "codec": (
        ["physcapy/mdio/frames.py", "physcapy/mdio/batch.py"],
        ["tests/test_frames.py", "tests/test_agreement.py", "tests/test_mutants_codec.py"],
    ),
    "ftdi": (
        ["physcapy/ftdi/mpsse.py", "physcapy/ftdi/emulator.py"],  # encoder, emulator checks
        ["tests/test_mpsse.py", "tests/test_ftdi_emu.py", "tests/test_ftdi_device.py",
         "tests/test_ftdi_bitbang.py", "tests/test_ftdi_usb.py", "tests/test_mutants_codec.py"],
    ),
    "pal": (
        ["physcapy/pal/genphy.py", "physcapy/pal/phy.py"],  # genphy, the state machine
        ["tests/test_pal.py", "tests/test_pal_drivers.py", "tests/test_pal_fidelity.py",
         "tests/test_pal_c45_drivers.py", "tests/test_mutants_pal.py"],
    ),
    "traffic": (
        ["physcapy/traffic/replay.py", "physcapy/traffic/annotate.py"],
        ["tests/test_replay.py", "tests/test_sessions_shipped.py",
         "tests/test_mutants_annotate.py", "tests/test_mutants_traffic.py"],
    ),
    "cli": (
        ["physcapy/cli/common.py"],  # exit codes, option checks, progress lines
        ["tests/test_cli.py", "tests/test_mutants_cli.py"],
    ),
    "decode": (
        # The frame finder, its preamble-suppression aligner and the word reader both use.
        ["physcapy/capture/decode.py", "physcapy/capture/align.py", "physcapy/capture/words.py"],
        ["tests/test_capture.py", "tests/test_capture_formats.py", "tests/test_timing.py",
         "tests/test_preamble_suppression.py", "tests/test_properties.py",
         "tests/test_mutants_decode.py", "tests/test_mutants_decode_stream.py",
         "tests/test_mutants_decode_edges.py", "tests/test_mutants_decode_frames.py",
         "tests/test_mutants_decode_emit.py", "tests/test_mutants_decode_sync.py",
         "tests/test_mutants_align.py",
         "tests/test_mutants_cli.py"],
    ),
}  # fmt: skip
CORE: list[str] = [f for files, _ in GROUPS.values() for f in files]

#: `make mutate-quick`: two small modules and the few test files that reach them.
GROUPS["quick"] = (
    ["physcapy/mdio/batch.py", "physcapy/sim/partner.py"],
    ["tests/test_agreement.py", "tests/test_mutants_codec.py", "tests/test_mutants_sim.py",
     "tests/test_sim.py", "tests/test_properties.py"],
)  # fmt: skip

#: What the tests read besides the package: copied into the scratch tree.
COPY = ["physcapy", "tests", "layers", "sessions", "scripts", "docs", "README.md", "LICENSE"]

#: mutant name -> why no test can tell it from the original (each read and checked).
_OPCASE = "op and MMD function names are case-insensitive (op_name and the lookup lower-case them)"
_FIELD_PLAN = (
    "the memo of a register's field plan (for speed, benchmarks/replay.py): a lookup that "
    "misses or an entry never stored recomputes the same plan"
)
_RESETTING = "_Phy.resetting is only tested for truth: None and False both read as no reset"
_TRUTH = "every caller only tests the result for truth (1 and 2 agree)"
_UP_TO_UP = "UP to UP is no change: _set_state records nothing and the state is the same"
_MASKED = (
    "the hard handler masks the line before returning, so IrqLine delivery stops "
    "whether it says handled or not (the unclaimed count is per delivery)"
)
_IRQ_DISABLE_0 = (
    "irq_disable is 0 there: the line was masked by this interrupt's handler and only "
    "phy_change (which decrements first) or phy_stop_interrupts (which zeroes it) unmask it"
)
_BOOL_OUT = (
    "a float array instead of a bool one: it only holds 0/1 and is read by flatnonzero, "
    "which finds the same indices"
)
_EMPTY_BEFORE = (
    "no MDC change in the block: the one-element 'before' broadcasts against the empty "
    "levels to an empty mask, as the empty one does"
)
_ORDER_PREV = (
    "the glitch filter of a transition block runs on change indices (0, 1, ...): pulses "
    "drop in pairs, so the first kept index is 0 or >= 2 and no 'previous level' of -2, 1 "
    "or None equals it, as -1 does not"
)
_DEGLITCH_REPEATS = (
    "the changes _deglitch gets alternate in level (a sample block's MDC changes, the first "
    "away from the level before) or are indices after -1 (a transition block's), and a "
    "pulse drops two consecutive changes: no kept change repeats the level before it, so "
    "the de-duplication keeps all (also against None, or [prev] against an empty block)"
)
_ROW_PATH = (
    "only moves where the idle-row search gives up for the per-sample search of the whole "
    "block (block size, busy rows among the first 16, the busy fraction): both find the "
    "same edges (tests/test_mutants_decode_edges.py checks its corners both ways)"
)
_ROW_MORE = (
    "the idle-row search searches more: idle rows taken for active, ranges joined across "
    "idle rows or split at each row (still starting a sample early), a range starting two "
    "samples early, the last one ending at None (the block's end, as s.size): an idle row "
    "holds no edge, so the same edges are found (checked as for _ROW_PATH)"
)
_T_BEGIN = (
    "a split or joined transition block's t_begin is never read: the capture's start is the "
    "reader's first block's (edges_from_reader)"
)
_T_END = "a transition block's t_end is only split and joined: the decoder never reads it"
_MDIO_POS = "mdio_pos is only split and joined: the decoder takes positions from MDC's changes"
_SAME_VALUE = "'<' to '<=' where equality assigns the value the variable already holds"
_NEXT_CANDIDATE = (
    "a frame not cut short ends at z + 32: searching the candidates from its cut finds "
    "the index nxt[i] holds (the first candidate at or after z + 32)"
)
_INT_LIST = (
    "np.array of Python ints is int64 without a dtype too; an empty list gives an empty "
    "float array, which _emit returns on before using it"
)
_NEXT_CHUNK = (
    "a frame whose 32 bits just fit is left for the next chunk (its bits are kept) or "
    "finish(), which decodes it alike: only the chunk it is reported with changes"
)
_TO_THE_WALK = (
    "only makes the chain search give up (None) in more cases (a gap check that can only "
    "widen, a longer required preamble), where the walk decodes the same frames"
)
_FINAL = "final is only tested for truth (_scan, _synchronise, the searches): None and False agree"
_PACKED = (
    "packed only spares packing the bits again: without it _frame_words packs the same "
    "bits (np.packbits(b == 1)) itself"
)
_RUN_16 = (
    "the full-preamble search also takes runs of 16 ones (not from the chunk's start): a "
    "frame after one gets the walk's preamble (the ones since the last frame's end); one "
    "inside a frame or after junk makes the search give up (None) and the walk decodes "
    "the same frames"
)
_RUN_FILTER = (
    "a run's start or length off (the bit before the chunk, rb, added elsewhere or not at "
    "all): it only decides which runs pass the >= SYNC_ONES filter; each ST kept has only "
    "ones back to the previous frame's end (start <= ends) and its preamble is counted "
    "from that end, not from the run, and a frame left out puts a non-one between the "
    "kept ones (or after the last), so the search gives up (None) and the walk decodes "
    "the same frames"
)
_NO_PREAMBLE = (
    "differs only for a frame right at the synchronisation point or at the previous "
    "frame's end (preamble 0): with min_preamble 1 or more both give up (None), with 0 "
    "the mutant gives up and the walk decodes the same frames"
)
_EMPTY_SLICE = "'>' to '>=' where equality leaves the guarded slice empty: its any() is False"
_FLOAT_CAST = (
    "astype(None) is float64: times already are; positions (below 2**53) are cast back to "
    "int64 exactly where they are stored"
)
_ROW_SKIP = (
    "only chooses between the idle-row skip and the search of every sample, which find the "
    "same edges (tests/test_mutants_decode_stream.py holds both to the definition)"
)
_ALTERNATE = (
    "a sampled capture's MDC changes alternate from the level after prev (each flips it) and "
    "the filter drops them in adjacent pairs: _deglitch's check for one level twice in a row "
    "finds none, whatever prev"
)
_COPY = (
    "astype's copy flag only decides whether positions is rise itself or a copy: the values "
    "are the same, and rise is not read after"
)
_COPY_BITS = (
    "astype's copy flag only decides whether bits is the gathered levels' array itself or a "
    "copy: np.take made that array for this block alone, and it is not read after"
)
_GROUPING = (
    "a group of edges one edge longer or shorter: FrameDecoder.feed decodes the same rows "
    "however consecutive edges are grouped (test_groups_of_edges_decode_as_the_edges_one_by_one)"
)
_READ_DATA = (
    "the data the emulator passes with a read frame (the station's released DATA bits): "
    "SimPhy.c22 and c45 use data only in writes and address frames, the PHY drives a read's"
)
_AD0 = (
    "a change to the emulated AD0 (MDC) pin bits alone: only AD1's bits are read (line, "
    "_sta_output), and GET_BITS_LOW reads AD0's value masked by its direction, 0 whenever "
    "AD0 is an output (SET_BITS_LOW refuses AD0 high)"
)
_BIT0 = (
    "adds bit 0 to a mask over BMCR or AN control 7.0, whose bit 0 is reserved and reads 0 "
    "in every model (tests/test_mutants_sim.py checks it): the masked value is the same"
)
_AUX_SELECT = (
    "the AUXCTL read selector (14:12) is the top field but bit 15, the write enable, which is "
    "0 on this path (a 16-bit value): any wider mask gives the same shadow number"
)
_MMD_PAIR = (
    "every model describes registers 13 and 14 together (MMD access control and data, "
    "22.2.4.3.11/12), so '14 in' tests the same as '13 in'"
)
_FLOAT_BITS = (
    "FrameDecoder's empty bit buffer as float64: feed joins the edges' bits to it (float64 "
    "then), and bits are only compared with 0, 1 and UNKNOWN and packed from those "
    "comparisons: the same frames from a wider buffer"
)
_SET_BEFORE_READ = (
    "an initial value nothing reads: _start sets _rate and _last, each _scan sets "
    "_kept_gaps, before any read (finish() without an edge reads none of them)"
)
_C45_TABLE = (
    "a longer Clause 45 context table (its keys, port * 32 + device, are under 1024) or -2 "
    "for 'no address yet' (_c45_addresses only tests >= 0): the same addresses"
)
_KEEP_SYNCED = (
    "a synchronised chunk keeps one bit more: a frame not complete by its end starts at "
    "n - 31 or later and its counted preamble (32 ones at most) at n - 63 or later, so "
    "either way both are kept; a candidate on the extra bit ends by n - 33, decided in this "
    "chunk; a one there moves from _run_before into the kept bits, counted the same"
)
_GAP_AT_KEEP = (
    "a gap on the first kept bit is dropped: once synchronised a gap only cuts a frame it "
    "falls inside (z + 1 to z + 31, z >= 0); before, the decoder waits only while "
    "n < at + 833 <= gaps[0] + 833, keeping 4096 bits, so the kept bits begin 3263+ bits "
    "before the first gap"
)
_DEC = "physcapy.capture.decode.xǁFrameDecoderǁ"
_SIM = "physcapy.sim.phy.xǁSimPhyǁ"
_ALN = "physcapy.capture.align.x_find_alignment__mutmut_"
_ONLY_LATER = (
    "only delays a decision (more bits are waited for) that the bits decide the same: "
    "find_alignment(complete=False) takes an alignment only when no later bit can change "
    "it (tests/test_mutants_align.py holds every prefix to the whole stream's outcome)"
)
_PAD4 = (
    "a word reads the 5 bytes from its start's byte, at most 4 past the last packed byte "
    "(starts < n): a fifth zero byte is never read"
)
_FIRST_RUN = (
    "the first candidate's run of ones (counted from the first bit) only sets 'after', "
    "which is clamped at 0, and no chain links to the first candidate"
)
_COUNT_EARLY = (
    "every well-formed frame holds a 0 after a 1 besides its ST (OP 10; OP 01 after ST's 1; "
    "a 1 of OP, PRTAD or DEVAD before TA's 0, or TA 10), so a chain of 16 frames has at "
    "least 32 places to start: returning early at 16 candidates changes nothing"
)
_UNKNOWN0 = "unknown[0] is read only for a candidate at bit 0, and there is none"
_CUMSUM = "cumsum of a bool array is int64 with or without the dtype (64-bit numpy)"
_STOP_NODE = (
    "a chain that is not long stops within 15 steps and stays on its stop node: two more "
    "steps land on the same node"
)
_MEET_REACH = (
    "_lift climbs up[]'s six levels only, so a lift by anything but the depth difference "
    "leaves the two nodes at different depths; then no level's two nodes are equal but the "
    "sentinel, both climb 63 frames (or to their ends), and the result is the sentinel or "
    "64 frames or more below the deeper: the horizon check (depth > top - 64) rejects it, "
    "as it does the original's after its lift is clipped at 63 for a difference of 64 or "
    "more; a difference under 64 is lifted exactly as in the original"
)
_RUN_FROM_SET = (
    "_run_from is read only for a preamble whose first ones were dropped (run_start < 0); "
    "the _scan that dropped the run's first one set it (first_one >= 0) before"
)
_UP_LEVELS = (
    "up[] with a seventh level (127 frames) lets _meet climb farther: a meeting it finds "
    "there is 64 frames or more from a window's start, which the horizon check rejects; "
    "with _HORIZON - 2 (62) the levels are the same six"
)
_BATCHES = (
    "batches only group windows decided together: each window's outcome is its own, and "
    "the first that decides, in order, is taken whatever the batch sizes"
)
_AMBIGUOUS_SET = (
    "_synchronise sets _ambiguous (a list) before _note_skip, its only reader, runs: the "
    "initial value is never read"
)

EQUIVALENT: dict[str, str] = {
    **{f"{_SIM}_bmcr_written__mutmut_{n}": _BIT0 for n in (3, 6, 18, 20, 26, 27, 28, 30)},
    **{f"{_SIM}_c45_ctrl1_written__mutmut_{n}": _BIT0 for n in (10, 12, 24)},
    f"{_SIM}_clear_restart__mutmut_10": _BIT0,
    f"{_SIM}_begin_reset__mutmut_10": _BIT0 + " (BMCR is the only register reset_applies names)",
    **{f"{_SIM}_forced_mode__mutmut_{n}": _BIT0 for n in (7, 12, 20)},
    f"{_SIM}_powered__mutmut_3": _BIT0,  # BMCR power down (0.11) | bit 0
    f"{_SIM}_restart__mutmut_7": _BIT0,  # BMCR loopback (0.14) | bit 0
    **{f"{_SIM}_space_write__mutmut_{n}": _AUX_SELECT for n in (37, 38, 40, 41)},
    f"{_SIM}write__mutmut_15": _MMD_PAIR,
    f"{_SIM}read__mutmut_8": _MMD_PAIR,
    f"{_SIM}_write_key__mutmut_4": (
        "no key equals _PAGE (page 0, register 0, undescribed): page 0 is the default page "
        "(its registers are the Clause 22 ones) or aliased (RTL8211F), MMD keys are higher"
    ),
    f"{_SIM}_read_key__mutmut_4": (
        "no key equals _PAGE (see _write_key__mutmut_4): '<=' and '<' split the keys alike"
    ),
    f"{_SIM}_after_write__mutmut_63": (
        "a separate interrupt status register has no writable bit in any model (checked), "
        "so a write to it changes nothing the pin follows; extra _update_irq calls are no-ops"
    ),
    f"{_SIM}_bmcr__mutmut_6": _BIT0 + " (the default serves parts without a BMCR)",
    **{f"{_SIM}_an_enabled__mutmut_{n}": _BIT0 for n in (6, 17, 18)},
    f"{_SIM}_an_enabled__mutmut_1": (
        "clause22 is false only for Clause 45 parts, and none of them describes a BMCR "
        "(checked over all models)"
    ),
    f"{_SIM}_an_enabled__mutmut_2": "every model describes BMCR and BMSR together (checked)",
    f"{_SIM}_after_write__mutmut_34": (
        "the LAN8670, the only PLCA part, has enable and node ID in two registers, so a write "
        "to either is 'not the other' and composes the status; writes elsewhere compose too, "
        "but its only status-rule target (PLCA_STATUS.pst) is read-only and follows the state"
    ),
    "physcapy.mdio.frames.x_c45_frames__mutmut_40": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_3": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_63": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_77": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_91": _OPCASE,
    "physcapy.traffic.replay.x__receive__mutmut_14": _OPCASE,
    "physcapy.traffic.replay.x_parse_ignore__mutmut_9": (
        "rpartition: with one dot both split alike; with two, int() fails on the side that "
        "keeps a dot either way and the whole text goes to Model.register"
    ),
    "physcapy.traffic.annotate.x__decode__mutmut_1": _FIELD_PLAN,
    "physcapy.traffic.annotate.x__decode__mutmut_2": _FIELD_PLAN,
    "physcapy.traffic.annotate.x__decode__mutmut_7": _FIELD_PLAN,
    "physcapy.traffic.annotate.xǁ_Phyǁ__init____mutmut_8": _RESETTING,
    "physcapy.traffic.annotate.xǁAnnotatorǁ_bmcr__mutmut_29": _RESETTING,
    # PAL (physcapy/pal/genphy.py, physcapy/pal/phy.py)
    "physcapy.pal.genphy.x_genphy_c45_an_config_eee_aneg__mutmut_4": (
        "EEE off gives advertisement 1 instead of 0: link mode bit 0 is 10baseT_Half, "
        "which has no bit in 7.60 or 7.62, so the same registers are written"
    ),
    "physcapy.pal.genphy.x_genphy_config_advert__mutmut_25": _TRUTH,
    "physcapy.pal.genphy.x_genphy_config_advert__mutmut_59": _TRUTH,
    "physcapy.pal.genphy.x_genphy_setup_master_slave__mutmut_23": _TRUTH,
    "physcapy.pal.genphy.x_genphy_c45_config_aneg__mutmut_26": (
        "its result ('changed') is ignored by phy_start_aneg, the only caller"
    ),
    "physcapy.pal.genphy.x_genphy_update_link__mutmut_10": (
        "status starts 1 instead of 0: only bits 2 (link) and 5 (AN complete) are read "
        "from it, both clear either way"
    ),
    "physcapy.pal.genphy.x_genphy_read_status__mutmut_5": (
        "lpagb starts 1 instead of 0 (no 1000BASE-T): it is only tested against bits 11 and 10"
    ),
    "physcapy.pal.genphy.x_genphy_read_lpa__mutmut_30": "lp is 0 there: '=' and '|=' agree",
    "physcapy.pal.phy.x_phy_stop_machine__mutmut_3": _UP_TO_UP,
    "physcapy.pal.phy.x_phy_stop_machine__mutmut_8": _UP_TO_UP,
    "physcapy.pal.phy.x__run__mutmut_7": (
        "a v6 run never ends in UP: UP runs phy_start_aneg, whose link check moves to "
        "RUNNING or NOLINK, or fails into ERROR or -ENODEV (no re-arm)"
    ),
    "physcapy.pal.phy.x__tick_26__mutmut_4": "needs_aneg None or False: only tested for truth",
    "physcapy.pal.phy.x__tick_modern__mutmut_2": "suspend None or False: only tested for truth",
    "physcapy.pal.phy.x__phy_interrupt__mutmut_9": _MASKED,
    "physcapy.pal.phy.x__phy_interrupt__mutmut_28": _MASKED,
    "physcapy.pal.phy.x__phy_interrupt__mutmut_16": _IRQ_DISABLE_0,
    "physcapy.pal.phy.x__phy_change__mutmut_58": _IRQ_DISABLE_0,
    "physcapy.pal.phy.x__irq_thread__mutmut_4": (
        "handled None or False: note_interrupt counts both as unhandled, nothing else reads it"
    ),
    "physcapy.pal.phy.x__phy_change__mutmut_6": (
        "the 'phy_change' key is always there when phy_change runs: set by the interrupt "
        "(or the re-queue) that scheduled it, and a cancelled one never runs"
    ),
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_26": _SAME_VALUE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_53": _SAME_VALUE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_61": _NEXT_CANDIDATE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_63": _NEXT_CANDIDATE,
    **{
        f"physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_{n}": _INT_LIST
        for n in (73, 75, 77, 79, 81, 83)
    },
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_35": _NEXT_CHUNK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_walk__mutmut_36": _NEXT_CHUNK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_60": _NEXT_CHUNK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_61": _NEXT_CHUNK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_39": _TO_THE_WALK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_40": _TO_THE_WALK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_45": _TO_THE_WALK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_47": _TO_THE_WALK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_chain__mutmut_53": _TO_THE_WALK,
    "physcapy.capture.decode.xǁFrameDecoderǁfeed__mutmut_66": _FINAL,
    "physcapy.capture.decode.xǁFrameDecoderǁ_emit__mutmut_11": _PACKED,
    "physcapy.capture.decode.xǁFrameDecoderǁ_full_preambles__mutmut_64": _RUN_16,
    **{f"{_DEC}_full_preambles__mutmut_{n}": _RUN_FILTER for n in (37, 39, 54, 56, 62, 63)},
    "physcapy.capture.decode.xǁFrameDecoderǁ_full_preambles__mutmut_70": _NO_PREAMBLE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_full_preambles__mutmut_83": _NO_PREAMBLE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_full_preambles__mutmut_134": _NEXT_CHUNK,
    "physcapy.capture.decode.xǁFrameDecoderǁ_full_preambles__mutmut_136": _EMPTY_SLICE,
    "physcapy.capture.decode.xǁFrameDecoderǁ_c45_addresses__mutmut_14": (
        "numpy reads a sort kind by its first letter in either case: 'STABLE' sorts stably"
    ),
    "physcapy.capture.decode.xǁFrameDecoderǁ_c45_addresses__mutmut_72": (
        "k[None] stores every frame's next context, in key order: a repeated index keeps the "
        "last value stored (numpy assigns a fancy index in order), each key's last frame's, "
        "as k[last] does"
    ),
    "physcapy.capture.decode.xǁFrameDecoderǁ_c45_addresses__mutmut_93": (
        "any negative context means no address yet: it is only read through base >= 0"
    ),
    "physcapy.capture.decode.x__byte_tables__mutmut_17": (
        "a ninth step asks for bit -1/8 of a byte: (v >> -1) and (v >> 8) are 0 for bytes, "
        "so no count changes"
    ),
    "physcapy.capture.decode.x__sample_edges__mutmut_30": _ALTERNATE,
    "physcapy.capture.decode.x__sample_edges__mutmut_39": _ROW_SKIP,
    **{f"physcapy.capture.decode.x__sample_edges__mutmut_{n}": _COPY for n in (91, 93, 94)},
    **{f"physcapy.capture.decode.x__sample_edges__mutmut_{n}": _COPY_BITS for n in (85, 87, 88)},
    **{f"physcapy.capture.decode.x__merged__mutmut_{n}": _GROUPING for n in (3, 7, 9)},
    "physcapy.capture.decode.x__rising__mutmut_6": _BOOL_OUT,
    "physcapy.capture.decode.x__rising__mutmut_8": _BOOL_OUT,
    **{
        f"physcapy.capture.decode.x__active_segments__mutmut_{n}": _ROW_PATH
        for n in (4, 6, 15, 16, 18, 19, 21, 22, 29, 47, 48, 49, 50)
    },
    **{
        f"physcapy.capture.decode.x__active_segments__mutmut_{n}": _ROW_MORE
        for n in (30, 34, 54, 56, 57, 69, 86)
    },
    "physcapy.capture.decode.x__deglitch__mutmut_22": _DEGLITCH_REPEATS,
    "physcapy.capture.decode.x__deglitch__mutmut_24": _DEGLITCH_REPEATS,
    "physcapy.capture.decode.x__transition_edges__mutmut_6": _ORDER_PREV,
    "physcapy.capture.decode.x__transition_edges__mutmut_12": _ORDER_PREV,
    "physcapy.capture.decode.x__transition_edges__mutmut_13": _ORDER_PREV,
    "physcapy.capture.decode.x__transition_edges__mutmut_17": _EMPTY_BEFORE,
    "physcapy.capture.decode.x__transition_edges__mutmut_30": _EMPTY_BEFORE,
    "physcapy.capture.decode.x__transition_edges__mutmut_47": _FLOAT_CAST,
    "physcapy.capture.decode.x__transition_edges__mutmut_82": _FLOAT_CAST,
    "physcapy.capture.decode.x__transition_edges__mutmut_83": _FLOAT_CAST,
    "physcapy.capture.decode.x__join_transitions__mutmut_1": _T_BEGIN,
    "physcapy.capture.decode.x__join_transitions__mutmut_2": _T_END,
    "physcapy.capture.decode.x__join_transitions__mutmut_16": _MDIO_POS,
    **{f"physcapy.capture.decode.x__split_transitions__mutmut_{n}": _T_BEGIN for n in (15, 31)},
    **{f"physcapy.capture.decode.x__split_transitions__mutmut_{n}": _T_END for n in (16, 32)},
    **{
        f"physcapy.capture.decode.x__split_transitions__mutmut_{n}": _MDIO_POS for n in (22, 30, 46)
    },
    "physcapy.ftdi.emulator.xǁPhyPinsǁ_header_done__mutmut_31": _READ_DATA,
    "physcapy.ftdi.emulator.xǁPhyPinsǁ_header_done__mutmut_37": _READ_DATA,
    "physcapy.ftdi.emulator.xǁMpsseEmulatorǁ__init____mutmut_3": (
        "the default MDC limit 2.5 MHz (+1 Hz): no MPSSE clock lies in between (60 MHz / 24 "
        "is 2.5 MHz, / 22 is 2.73 MHz; 12 MHz / 4 is 3 MHz)"
    ),
    "physcapy.ftdi.emulator.xǁMpsseEmulatorǁ_clock__mutmut_26": _AD0,  # clears AD0 too
    "physcapy.ftdi.emulator.xǁMpsseEmulatorǁ__init____mutmut_13": _AD0,  # AD0 high, an input
    "physcapy.ftdi.emulator.xǁMpsseEmulatorǁ__init____mutmut_15": _AD0,  # AD0 output, low
    "physcapy.ftdi.emulator.xǁMpsseEmulatorǁ__init____mutmut_17": _AD0,  # AD0 open drain
    "physcapy.capture.decode.xǁFrameDecoderǁ_gaps__mutmut_8": (
        "float() reads 'inf' in any case: float('INF') is inf"
    ),
    **dict.fromkeys(
        (f"physcapy.capture.decode.xǁFrameDecoderǁ_gaps__mutmut_{n}" for n in (31, 34)),
        "np.greater's out buffer only spares an allocation: without one it returns a bool "
        "array of its own, with the same values for flatnonzero",
    ),
    **{f"physcapy.capture.decode.xǁFrameDecoderǁ_gaps__mutmut_{n}": _BOOL_OUT for n in (36, 38)},
    **dict.fromkeys(
        (f"physcapy.capture.decode.xǁFrameDecoderǁ_gaps__mutmut_{n}" for n in (47, 49, 50)),
        "astype's copy flag on gap indices made here (flatnonzero's, concatenate's) that "
        "nothing else holds: a copy has the same values",
    ),
    **{f"{_DEC}__post_init____mutmut_{n}": _FLOAT_BITS for n in (3, 5)},
    **{f"{_DEC}__post_init____mutmut_{n}": _SET_BEFORE_READ for n in (14, 28, 39, 41, 43, 44)},
    **{f"{_DEC}__post_init____mutmut_{n}": _RUN_FROM_SET for n in (19, 20, 21)},
    f"{_DEC}__post_init____mutmut_15": (
        "_started is only tested for truth (feed: if not self._started): None and False alike"
    ),
    **{f"{_DEC}__post_init____mutmut_{n}": _C45_TABLE for n in (35, 36, 38)},
    f"{_DEC}_scan__mutmut_102": _KEEP_SYNCED,
    f"{_DEC}_scan__mutmut_153": _GAP_AT_KEEP,
    f"{_DEC}__post_init____mutmut_25": _AMBIGUOUS_SET,
    f"{_DEC}_synchronise__mutmut_98": (
        "the stretch's list holds alignments from before the synchronising call only when "
        "they were recorded with no gap or preamble among the bits (any earlier search "
        "that saw one synchronised): a gap or preamble found later lies past them all, so "
        "none equals the synchronisation point"
    ),
    "physcapy.capture.decode.x__frame_words__mutmut_7": (
        "packed only spares packing the bits again: packing them (np.packbits(b == 1)) "
        "gives the same bytes"
    ),
    # The preamble-suppression aligner (physcapy/capture/align.py)
    "physcapy.capture.words.x_packed_words__mutmut_7": _PAD4,
    _ALN + "23": _FIRST_RUN,
    _ALN + "31": _COUNT_EARLY,
    _ALN + "47": _UNKNOWN0,
    **{_ALN + str(n): _CUMSUM for n in (49, 51)},
    **{_ALN + str(n): _UP_LEVELS for n in (184, 185, 186)},
    "physcapy.capture.align.x__window_meetings__mutmut_4": (
        "the fold starting at the window's first chain meets it with itself: _meet(a, a) is a"
    ),
    _ALN + "332": _BATCHES,
    _ALN + "86": (
        "a candidate right at c + 32 (no idle bit) never links (between 0) and breaks the "
        "run of ones before any later one, so the chain stops at c either way; " + _ONLY_LATER
    ),
    **dict.fromkeys(
        (_ALN + str(n) for n in (143, 144)),
        "a frame ending on the last bit is taken for one not yet whole: " + _ONLY_LATER,
    ),
    _ALN + "164": _STOP_NODE,
    **{f"physcapy.capture.align.x__meet__mutmut_{n}": _MEET_REACH for n in (1, 2, 4, 17, 31)},
    "physcapy.capture.align.x__cut_short__mutmut_19": (
        "a chain of _HORIZON frames or more is never cut short (short & ...): where the lift "
        "takes its 'last frame' only feeds open_, which short masks"
    ),
    _ALN + "165": (
        "a chain that is not long has 15 frames at most, so its stop node is 14 steps on at "
        "most: 14 steps reach it as 15 do"
    ),
}

#: What each listed equivalent changed when it was checked (``--pin`` writes it).  mutmut
#: numbers a function's mutants in source order, so an edit above a listed one renumbers
#: it and its name would cover another mutant: a listed survivor whose change is not the
#: recorded one is reported apart and counted alive until it is read again and pinned.
CHECKED = Path(__file__).with_name("mutate-equivalent.json")

#: A survivor whose only change is a register name's case (``"LPA"`` -> ``"lpa"``) where
#: the name is looked up as a register: Model.register upper-cases names (and MMD names),
#: so no behaviour can differ.  Recognised from the mutant's source by this rule rather than
#: listed one by one; field and event names are case-sensitive and do not qualify.
_REGISTER_NAME = re.compile(r'"[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)?"')
_REGISTER_LOOKUPS = ("_set_named(", "_latch_named(", "_field_of(", "_named_value(", ".register(",
                     "for reg in (", "regs = {", "base = ", "_bit(", "ctrl = ")  # fmt: skip
CASE_REASON = "register names are case-insensitive (Model.register upper-cases them)"

#: Verdicts that count as killed.
_DETECTED = ("killed", "timeout")
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          37: "killed", -11: "segfault", -9: "segfault"}  # fmt: skip


def _select(args: argparse.Namespace) -> dict[str, list[str]]:
    """group -> the modules of it to report (mutmut runs over the whole group; its
    cached verdicts make the modules that did not change cheap)."""
    if args.quick:
        return {"quick": GROUPS["quick"][0]}
    chosen = {
        g: [f for f in files if not args.only or any(o in f for o in args.only)]
        for g, (files, _) in GROUPS.items()
        if g != "quick"
    }
    chosen = {g: files for g, files in chosen.items() if files}
    if not chosen:
        sys.exit(f"no core module matches {args.only}; --list names them")
    return chosen


def _prepare(work: Path, files: list[str], tests: list[str]) -> None:
    """Copy the sources into work/ (mtimes kept, so mutmut re-tests changed files only)
    and write its pyproject.toml with the [tool.mutmut] section for these modules."""
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, work / name)
            continue
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The tests find the shared captures beside the checkout (tests/conftest.py SHARED).
    shared, link = ROOT.parent / "shared", work / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared)
    # The project's pytest options, less the doctests (mutmut selects tests by file).
    conf = (ROOT / "pyproject.toml").read_text()
    conf = conf.replace("--doctest-modules ", "")
    conf += (
        "\n[tool.mutmut]\n"
        'source_paths = ["physcapy"]\n'
        f"only_mutate = {json.dumps(files)}\n"
        f"also_copy = {json.dumps([n for n in COPY if n not in ('physcapy', 'tests')])}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]\n'
        "timeout_multiplier = 5.0\n"
    )
    (work / "pyproject.toml").write_text(conf)


def _retry_survivors(work: Path) -> None:
    """Forget every verdict but a detection (killed, timed out): mutmut keeps a
    survivor's verdict even when the tests changed since, and stronger tests cannot
    undo a detection."""
    for meta in (work / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        codes.update({k: None for k, v in codes.items() if STATUS.get(v) not in _DETECTED})
        meta.write_text(json.dumps(data))


def _forget_stale_stats(work: Path) -> None:
    """Make mutmut map tests to functions afresh when the package or the tests changed.

    mutmut keeps which tests reach which function between runs and adds only tests it has
    not seen: a function added or reached since (a refactor, a changed test) would be
    tried against too few tests, and its mutants reported alive wrongly.
    """
    digest = hashlib.sha256()
    for name in ("physcapy", "tests"):
        for path in sorted((ROOT / name).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    stamp, stats = work / "sources.sha256", work / "mutants" / "mutmut-stats.json"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        stats.unlink(missing_ok=True)
        stamp.write_text(digest.hexdigest())


def _mutmut(work: Path, *args: str) -> int:
    """Run mutmut in work/; its progress display goes to work/mutmut.log."""
    env = dict(os.environ, PYTHONHASHSEED="0", PHYSCAPY_HYPOTHESIS="mutate")
    with open(work / "mutmut.log", "w") as log:
        return subprocess.call([sys.executable, "-m", "mutmut", *args], cwd=work, env=env,
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def _bodies(source: str) -> dict[str, list[str]]:
    """Function name -> its body's lines, for every function of a mutated module."""
    lines = source.splitlines()
    out: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            out[node.name] = lines[node.lineno : node.end_lineno]
    return out


def _versions(
    bodies: dict[str, list[str]], mutant: str
) -> tuple[list[str] | None, list[str] | None]:
    """The body of a mutant's original function and its own (None: not found)."""
    name = mutant.rsplit(".", 1)[-1]
    return bodies.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"), bodies.get(name)


def _changed_line(bodies: dict[str, list[str]], mutant: str) -> tuple[str, str] | None:
    """The one line a mutant changes in its function (None: more, or not found)."""
    orig, mut = _versions(bodies, mutant)
    if orig is None or mut is None or len(orig) != len(mut):
        return None
    changed = [(a, b) for a, b in zip(orig, mut, strict=True) if a != b]
    return changed[0] if len(changed) == 1 else None


def _register_case_only(line: tuple[str, str] | None) -> bool:
    if line is None or not any(call in line[0] for call in _REGISTER_LOOKUPS):
        return False
    a, b = (re.findall(r'"[^"]*"', x) for x in line)
    diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return (
        len(a) == len(b)
        and len(diff) == 1
        and _REGISTER_NAME.fullmatch(diff[0][0]) is not None
        and diff[0][1] == diff[0][0].lower()
    )


def _change(bodies: dict[str, list[str]], mutant: str) -> str | None:
    """What a mutant changes in its function, as ``old => new`` lines (None: not found)."""
    orig, mut = _versions(bodies, mutant)
    if orig is None or mut is None:
        return None
    if len(orig) == len(mut):
        pairs = [(a.strip(), b.strip()) for a, b in zip(orig, mut, strict=True) if a != b]
        return " ; ".join(f"{a} => {b}" for a, b in pairs)
    lines = difflib.unified_diff(orig, mut, n=0, lineterm="")
    return " ; ".join(x.strip() for x in lines if x[:1] in "+-" and x[:3] not in ("+++", "---"))


def _pinned() -> dict[str, str]:
    return json.loads(CHECKED.read_text()) if CHECKED.exists() else {}


def _equivalent(
    work: Path, module: str, survivors: list[str]
) -> tuple[dict[str, str], dict[str, tuple[str | None, str | None]]]:
    """The listed and the rule-recognised equivalents among a module's survivors, and the
    listed ones whose change is not the one checked (name -> (checked, now))."""
    path = work / "mutants" / module
    bodies = _bodies(path.read_text()) if path.exists() and survivors else {}
    pins = _pinned()
    out: dict[str, str] = {}
    stale: dict[str, tuple[str | None, str | None]] = {}
    for m in survivors:
        if m in EQUIVALENT:
            now = _change(bodies, m)
            if now is not None and pins.get(m) == now:
                out[m] = EQUIVALENT[m]
            else:
                stale[m] = (pins.get(m), now)
        elif _register_case_only(_changed_line(bodies, m)):
            out[m] = CASE_REASON
    return out, stale


def pin(works: dict[Path, list[str]]) -> int:
    """Record what each listed equivalent of these modules that survived the last run
    changes now (``--pin``): run it after reading their diffs (``--report``), when edits
    have renumbered mutants.  A listed mutant that was killed is not pinned: its reason
    was not read against what it changes."""
    pins = {m: c for m, c in _pinned().items() if m in EQUIVALENT}
    for work, files in works.items():
        for f, statuses in _load(work, files).items():
            path = work / "mutants" / f
            bodies = _bodies(path.read_text()) if path.exists() else {}
            for m, status in statuses.items():
                change = _change(bodies, m) if m in EQUIVALENT else None
                if change is not None:
                    if status == "survived":
                        pins[m] = change
                    else:
                        pins.pop(m, None)
    # Whole or not at all: a half-written file would unpin every listing after it.
    tmp = CHECKED.with_name(CHECKED.name + ".tmp")
    tmp.write_text(json.dumps(dict(sorted(pins.items())), indent=1, ensure_ascii=False) + "\n")
    tmp.replace(CHECKED)
    print(f"{len(pins)} equivalent mutants pinned in {CHECKED}")
    return 0


def _load(work: Path, files: list[str]) -> dict[str, dict[str, str]]:
    """module path -> {mutant name: status} from mutmut's .meta files."""
    out: dict[str, dict[str, str]] = {}
    for f in files:
        meta = work / "mutants" / (f + ".meta")
        if not meta.exists():  # every function of it is excluded or untouched
            continue
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        out[f] = {
            k: STATUS.get(v, "suspicious") if v is not None else "not checked"
            for k, v in codes.items()
        }
    return out


def report(works: dict[Path, list[str]], *, diffs: bool = True) -> float:
    """The score per module and overall; ``works`` maps each scratch copy to its modules."""
    results: dict[str, dict[str, str]] = {}
    where: dict[str, Path] = {}
    for work, files in works.items():
        results.update(_load(work, files))
        where.update(dict.fromkeys(files, work))
    files = [f for fs in works.values() for f in fs]
    total_k = total_n = total_u = 0
    survivors: list[str] = []
    equivalent: list[str] = []
    head = f"{'module':34} {'mutants':>8} {'killed':>7} {'alive':>6} {'equiv':>6} {'unrun':>6}"
    print(f"\n{head} {'score':>7}")
    reasons: dict[str, str] = {}
    stale: dict[str, tuple[str | None, str | None]] = {}
    for f in files:
        r = results.get(f, {})
        found, changed = _equivalent(where[f], f, [m for m, s in r.items() if s == "survived"])
        reasons.update(found)
        stale.update(changed)
        eq = [m for m, s in r.items() if m in found]
        # "not checked": an interrupted run; neither killed nor alive, shown apart.
        unrun = [m for m, s in r.items() if s == "not checked"]
        # A mutant whose tests run past the time limit is detected too: the suite does
        # not pass with it (a livelock the tests drive into, as usual tools count it).
        alive = [m for m, s in r.items() if s not in (*_DETECTED, "not checked") and m not in found]
        killed = sum(1 for s in r.values() if s in _DETECTED)
        n = killed + len(alive)
        total_k, total_n, total_u = total_k + killed, total_n + n, total_u + len(unrun)
        # A module without results (never run, or every mutant equivalent) has no score:
        # "100.0 %" there would read as "all killed".
        shown = f"{100.0 * killed / n:6.1f}%" if n else ("n/a" if eq else "not run")
        row = f"{f:34} {len(r):8} {killed:7} {len(alive):6} {len(eq):6} {len(unrun):6}"
        print(f"{row} {shown:>7}")
        survivors += [f"{m} ({r[m]}) {where[f]}" for m in alive]
        equivalent += eq
    # No results at all is a failure to measure, not a perfect score (--min-score fails).
    score = 100.0 * total_k / total_n if total_n else 0.0
    shown = f"{score:6.1f}%" if total_n else "not run"
    mutants = total_n + len(equivalent) + total_u
    row = f"{'all':34} {mutants:8} {total_k:7} {len(survivors):6} {len(equivalent):6} {total_u:6}"
    print(f"{row} {shown:>7}")
    if equivalent:
        print("\nEquivalent mutants (not counted):")
        for m in equivalent:
            print(f"  {m}: {reasons[m]}")
    if stale:
        print(
            f"\nListed in EQUIVALENT, but not the change that was checked ({len(stale)}; "
            "counted alive: read each diff, fix the listing, then --pin):"
        )
        for m, (then, now) in stale.items():
            print(f"  {m}\n    checked: {then}\n    now:     {now}")
    if survivors:
        print(f"\nSurvivors ({len(survivors)}):")
        for s in survivors:
            print("  " + s)
            if diffs:
                name, work = s.split(" ")[0], Path(s.split(" ")[-1])
                subprocess.call([sys.executable, "-m", "mutmut", "show", name], cwd=work,
                                stdout=sys.stdout, stderr=subprocess.DEVNULL)  # fmt: skip
    return score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--quick", action="store_true", help="the fixed small sample (make mutate-quick)"
    )
    p.add_argument("--only", nargs="*", help="core modules whose path contains one of these")
    p.add_argument("--report", action="store_true", help="reprint the last run's report")
    p.add_argument("--list", action="store_true", help="name the core modules and their tests")
    p.add_argument("--no-diffs", action="store_true", help="survivors by name only")
    p.add_argument(
        "--pin", action="store_true", help="record what each listed equivalent changes now"
    )
    p.add_argument("--min-score", type=float, default=0.0, help="exit 1 below this score (%%)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    if args.list:
        for group, (files, tests) in GROUPS.items():
            print(f"{group}: {' '.join(files)}\n    tests: {' '.join(tests)}")
        return 0
    groups = _select(args)
    works = {ROOT / ".cache" / "mutate" / g: files for g, files in groups.items()}
    if args.pin:
        return pin(works)
    if not args.report:
        begin = time.monotonic()
        for work, group in zip(works, groups, strict=True):
            # Always the whole group: a module left out of only_mutate would be copied
            # over its mutants in the shared scratch tree, its verdicts left orphaned.
            files, tests = GROUPS[group]
            _prepare(work, files, tests)
            _retry_survivors(work)
            _forget_stale_stats(work)
            start = time.monotonic()
            print(f"mutmut over {', '.join(files)} (log: {work / 'mutmut.log'})", flush=True)
            rc = _mutmut(work, "run", "--max-children", str(args.jobs))
            print(f"  took {time.monotonic() - start:.0f} s", flush=True)
            if rc:
                print(f"mutmut run exited {rc}; see {work / 'mutmut.log'}", file=sys.stderr)
                return rc
        print(f"mutmut runs took {time.monotonic() - begin:.0f} s in all")
    score = report(works, diffs=not args.no_diffs)
    return 1 if score < args.min_score else 0


if __name__ == "__main__":
    sys.exit(main())
