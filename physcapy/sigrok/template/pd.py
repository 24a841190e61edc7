##
## This file is part of physcapy's sigrok decoder, mdio_phy.
##
## Copyright (C) 2026 The physcapy developers
##
## This program is free software; you can redistribute it and/or modify
## it under the terms of the GNU General Public License as published by
## the Free Software Foundation; either version 2 of the License, or
## (at your option) any later version.
##
## This program is distributed in the hope that it will be useful,
## but WITHOUT ANY WARRANTY; without even the implied warranty of
## MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
## GNU General Public License for more details.
##
## SPDX-License-Identifier: GPL-2.0-or-later
##
## physcapy itself is GPL-2.0-only; its authors release this decoder and the
## tables.json generated beside it under GPL-2.0-or-later, so that it can be
## loaded by libsigrokdecode and PulseView (GPL-3.0-or-later).
##
## Written for every Python a libsigrokdecode may embed (3.4 in the Windows
## installers): no f-strings, no variable annotations, only the standard library.

"""PHY registers on top of the mdio decoder.

Stacks on sigrok's ``mdio`` decoder, whose Python output is one tuple per read
or write: (clause45, clause45_addr or -1, is_read, PHYAD/PRTAD, REGAD/DEVAD,
data).  The register tables come from physcapy's register descriptions
(``tables.json`` beside this file, written by ``physcapy sigrok export``).
Each address is identified from its PHYSID1/PHYSID2 reads unless the ``model``
option names it (``lan8720a`` for every address, or ``1=lan8720a,3=dp83848``).
"""

import json
import os

import sigrokdecode as srd

_HERE = os.path.dirname(os.path.abspath(__file__))

MMD_FUNCTION = {
    0: "address",
    1: "data",
    2: "data, post-increment",
    3: "data, increment on write",
}
#: Two BMSR reads closer than this (seconds) are one genphy_update_link.
PAIR_GAP = 1e-3


def _load_tables():
    with open(os.path.join(_HERE, "tables.json")) as f:
        raw = json.load(f)
    models = []
    by_name = {}
    for m in raw["models"]:
        m["registers"] = _regs(m["registers"])
        m["pages"] = dict((int(p), _regs(r)) for p, r in m["pages"].items())
        m["mmds"] = dict((int(d), _regs(r)) for d, r in m["mmds"].items())
        m["page_alias"] = dict((int(a), int(b)) for a, b in m["page_alias"].items())
        for space in m["spaces"]:
            space["registers"] = _regs(space["registers"])
        models.append(m)
        by_name[m["name"]] = m
        for alias in m.get("aliases", ()):
            by_name.setdefault(alias, m)
    return raw, models, by_name


def _regs(table):
    return dict((int(address), reg) for address, reg in table.items())


TABLES, MODELS, BY_NAME = _load_tables()
IEEE = BY_NAME[TABLES["ieee"]]


def model_for_id(phy_id):
    """The first PHY model whose phy_id & mask matches, as phylib binds drivers."""
    for m in MODELS:
        if m["id"] is not None and m["kind"] == "phy":
            if phy_id & m["mask"] == m["id"] & m["mask"]:
                return m
    return None


def decode_fields(reg, value):
    """(flags and field=meaning text, as physcapy's summary line)."""
    parts = []
    for name, label, lsb, maximum, width, enum in reg["fields"]:
        raw = (value >> lsb) & maximum
        if width == 1 and not enum:
            parts.append(("+" if raw else "-") + label)
        elif enum:
            meaning = enum.get(str(raw))
            if meaning is None:
                meaning = "reserved value 0x%x" % raw
            parts.append("%s=%s" % (name, meaning))
        else:
            parts.append("%s=0x%x" % (name, raw))
    return " ".join(parts)


class Phy(object):
    """What is known about one address."""

    def __init__(self, model, told):
        self.model = model
        self.told = told
        self.id_hi = None
        self.page = None
        self.mmd_ctrl = 0
        self.mmd_addr = {}
        self.resetting = False
        self.bmsr_run = 0
        self.last_es = None
        self.space_ptr = {}


class Decoder(srd.Decoder):
    api_version = 3
    id = "mdio_phy"
    name = "MDIO PHY"
    longname = "MDIO PHY registers (physcapy)"
    desc = "PHY register names, fields and driver sequences on MDIO."
    license = "gplv2+"
    inputs = ["mdio"]
    outputs = []
    tags = ["Networking"]
    options = ({"id": "model", "desc": "PHY model (name, or ADDR=name,...)", "default": ""},)
    annotations = (
        ("register", "Register"),
        ("fields", "Fields"),
        ("note", "Driver sequence"),
    )
    annotation_rows = (
        ("registers", "Registers", (0,)),
        ("field-rows", "Fields", (1,)),
        ("notes", "Notes", (2,)),
    )

    def __init__(self):
        self.reset()

    def reset(self):
        self.phys = {}
        self.samplerate = None
        self.given = None

    def start(self):
        self.out_ann = self.register(srd.OUTPUT_ANN)
        self.given = self._parse_models(self.options["model"])

    def metadata(self, key, value):
        if key == srd.SRD_CONF_SAMPLERATE:
            self.samplerate = value

    @staticmethod
    def _parse_models(text):
        given = {}
        for part in [p.strip() for p in text.split(",") if p.strip()]:
            if "=" in part:
                address, name = part.split("=", 1)
                address = int(address.strip(), 0)
            else:
                address, name = None, part
            name = name.strip()
            if name not in BY_NAME:
                raise Exception(
                    "mdio_phy: unknown model %r (known: %s)" % (name, ", ".join(sorted(BY_NAME)))
                )
            given[address] = BY_NAME[name]
        return given

    def phy(self, address):
        p = self.phys.get(address)
        if p is None:
            m = self.given.get(address, self.given.get(None))
            p = Phy(m or IEEE, m is not None)
            self.phys[address] = p
        return p

    # -- output ----------------------------------------------------------------

    def show(self, ss, es, name, key, reg_number, data, reg, note):
        what = name or "?"
        if key is not None and key != str(reg_number):
            what += " (%s)" % key
        self.put(
            ss,
            es,
            self.out_ann,
            [0, ["%s = 0x%04X" % (what, data), "%s=%04X" % (name or "?", data), name or "?"]],
        )
        if reg is not None:
            text = decode_fields(reg, data)
            if text:
                self.put(ss, es, self.out_ann, [1, [text]])
        if note:
            self.put(ss, es, self.out_ann, [2, [note]])

    def decode(self, ss, es, data):
        for clause45, c45_addr, is_read, phyad, regad, value in data:
            p = self.phy(phyad)
            if clause45:
                self.clause45(ss, es, p, c45_addr, is_read, regad, value)
            else:
                self.clause22(ss, es, p, is_read, regad, value)

    # -- Clause 22 ---------------------------------------------------------------

    def clause22(self, ss, es, p, read, reg, data):
        m = p.model
        # Identification from PHYSID1 then PHYSID2 (IEEE 802.3 22.2.4.3.1).
        if read and reg == 2:
            p.id_hi = data
        elif read and reg == 3 and p.id_hi is not None and not p.told:
            found = model_for_id(p.id_hi << 16 | data)
            if found is not None and found is not p.model:
                p.model = m = found
                p.page = None
        if reg in (13, 14) and 13 in m["registers"]:
            self.mmd(ss, es, p, read, reg, data)
            return
        if m["spaces"] and self.indirect(ss, es, p, read, reg, data):
            p.last_es = es
            return
        name = key = spec = None
        note = ""
        select = m["page_select"]
        spec = self.c22_spec(p, reg)
        if spec is None and select is not None and p.page and reg != select:
            key = "0x%x:%d" % (p.page, reg)
            note = "page 0x%x (not described)" % p.page
        elif spec is not None:
            name = spec["name"]
            key = spec["key"] if spec["paged"] else str(reg)
        if select is not None and reg == select and not read:
            p.page = data
            note = "page switch to 0x%x" % data
        elif reg == 0 and not note:
            note = self.bmcr(p, read, data)
        if reg == 1 and read:
            close = p.last_es is not None and self.gap(p.last_es, ss) < PAIR_GAP
            p.bmsr_run = p.bmsr_run + 1 if close else 1
            if p.bmsr_run == 2 and not note:
                note = "second BMSR read (genphy_update_link: the first flushes the latch)"
        else:
            p.bmsr_run = 0
        p.last_es = es
        self.show(ss, es, name, key, reg, data, spec, note)

    def indirect(self, ss, es, p, read, reg, data):
        """Registers behind other registers (Motorcomm 0x1E/0x1F, Broadcom expansion
        0x17/0x15 and 0x1C shadows); False when this access is not one."""
        m = p.model
        for space in m["spaces"]:
            name = space["name"]
            if space["kind"] == "address" and reg == space["select"] and not read:
                address = data & ~space["select_base"] & 0xFFFF
                p.space_ptr[name] = address
                target = space["registers"].get(address)
                spec = m["registers"].get(reg)
                label = target["name"] if target is not None else "0x%x" % address
                self.show(
                    ss,
                    es,
                    spec["name"] if spec else None,
                    str(reg) if spec else None,
                    reg,
                    data,
                    spec,
                    "%s select %s" % (name, label),
                )
                return True
            if space["kind"] == "shadow" and reg == space["select"]:
                msb, lsb = space["selector"]
                number = (data >> lsb) & ((1 << (msb - lsb + 1)) - 1)
                flag = space["write_enable"]
                writing = not read and flag is not None and bool(data >> flag & 1)
                if space.get("read_select") is not None and not read:
                    # Broadcom AUXCTL: other shadows are written by selecting them; the
                    # read-select number picks the shadow to read from read_selector.
                    if number != space["read_select"]:
                        writing = True
                    elif not writing:
                        rmsb, rlsb = space["read_selector"]
                        number = (data >> rlsb) & ((1 << (rmsb - rlsb + 1)) - 1)
                target = space["registers"].get(number)
                key = "%s:0x%x" % (name, number)
                if not read and not writing:
                    p.space_ptr[name] = number
                    label = target["name"] if target is not None else "0x%x" % number
                    self.show(ss, es, None, key, reg, data, None, "%s select %s" % (name, label))
                    return True
                self.show(
                    ss,
                    es,
                    target["name"] if target else None,
                    key,
                    reg,
                    data,
                    target,
                    "%s %s" % (name, "write" if writing else "read"),
                )
                return True
            if space["kind"] == "address" and reg == space["data"]:
                selected = p.space_ptr.get(name)
                if selected is None:
                    self.show(
                        ss,
                        es,
                        None,
                        "%s:?" % name,
                        reg,
                        data,
                        None,
                        "%s data (address unknown: selected before the capture)" % name,
                    )
                    return True
                target = space["registers"].get(selected)
                self.show(
                    ss,
                    es,
                    target["name"] if target else None,
                    "%s:0x%x" % (name, selected),
                    reg,
                    data,
                    target,
                    "",
                )
                return True
        return False

    def gap(self, last_es, ss):
        if not self.samplerate:
            return 0.0  # without a rate, back-to-back reads count as a pair
        return float(ss - last_es) / self.samplerate

    def c22_spec(self, p, reg):
        m = p.model
        select = m["page_select"]
        if m["page_register"] is None and p.page and reg != select:
            return None  # an undescribed page of a part whose pages are not modelled
        paged = m.get("paged_from", 16) <= reg <= 30
        if p.page is not None and m["pages"] and paged and reg != m["page_register"]:
            page = m["page_alias"].get(p.page, p.page)
            regs = m["pages"].get(page)
            if regs is not None and reg in regs:
                return regs[reg]
            if page != m["default_page"]:
                return None
        return m["registers"].get(reg)

    def bmcr(self, p, read, data):
        if not read:
            if data & 0x8000:
                p.resetting = True
                return "soft reset (BMCR.reset)"
            if data & 0x0200:
                return "restart auto-negotiation"
            if not data & 0x1000:
                return "forced mode"
            return ""
        if p.resetting:
            if data & 0x8000:
                return "reset poll: still in reset"
            p.resetting = False
            return "reset poll: reset done"
        return ""

    def mmd(self, ss, es, p, read, reg, data):
        """Registers 13/14 (22.2.4.3.11): the logical MMD access they make."""
        m = p.model
        if reg == 13:
            note = ""
            if not read:
                p.mmd_ctrl = data
                note = "MMD indirect access: DEVAD %d, %s" % (data & 0x1F, MMD_FUNCTION[data >> 14])
            self.show(ss, es, "MMD_CTRL", "13", reg, data, m["registers"].get(13), note)
            return
        fn, devad = p.mmd_ctrl >> 14, p.mmd_ctrl & 0x1F
        if fn == 0:
            if not read:
                p.mmd_addr[devad] = data
            note = "MMD indirect access: register address 0x%x of DEVAD %d" % (data, devad)
            self.show(ss, es, "MMD_ADDR", "14", reg, data, None, note)
            return
        address = p.mmd_addr.get(devad)
        if address is None:
            note = "MMD %d data (address unknown: set before the capture)" % devad
            self.show(ss, es, "MMD_DATA", "14", reg, data, None, note)
            return
        key = "%d.0x%x" % (devad, address)
        spec = self.mmd_spec(m, devad, address)
        note = "%s = 0x%04x via 13/14%s" % (key, data, "" if read else " (write)")
        self.show(ss, es, spec["name"] if spec else None, key, reg, data, spec, note)
        if fn == 2 or (fn == 3 and not read):
            p.mmd_addr[devad] = (address + 1) & 0xFFFF

    @staticmethod
    def mmd_spec(m, devad, address):
        for source in (m, IEEE):
            regs = source["mmds"].get(devad)
            if regs is not None and address in regs:
                return regs[address]
        return None

    # -- Clause 45 ---------------------------------------------------------------

    def clause45(self, ss, es, p, c45_addr, read, devad, data):
        m = p.model
        if c45_addr < 0:
            self.show(
                ss,
                es,
                None,
                None,
                devad,
                data,
                None,
                "register address unknown (set before the capture)",
            )
            return
        address = c45_addr
        if read and address in (2, 3):
            if address == 2:
                p.id_hi = data
            elif p.id_hi is not None and not p.told:
                found = model_for_id(p.id_hi << 16 | data)
                if found is not None and found is not m:
                    p.model = m = found
        key = "%d.0x%x" % (devad, address)
        spec = self.mmd_spec(m, devad, address)
        # mdio reports post-read-increment reads as reads: no note can tell them apart.
        self.show(ss, es, spec["name"] if spec else None, key, devad, data, spec, "")
