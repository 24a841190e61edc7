# SPDX-License-Identifier: GPL-2.0-only
"""Zip members inflated by physcapy.capture.inflate: zlib-ng or the standard library's
zlib give the same bytes, and both check the CRC and the declared size."""

from __future__ import annotations

import sys
import zipfile
import zlib as stdlib_zlib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from physcapy.capture import inflate
from physcapy.capture.inflate import InflateError, stream_member


def _backends() -> list[ModuleType]:
    found = [stdlib_zlib]
    try:
        from zlib_ng import zlib_ng

        found.append(zlib_ng)
    except ImportError:
        pass
    return found


@pytest.fixture(params=_backends(), ids=lambda m: m.__name__)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setattr(inflate, "zlib", request.param)
    return request.param  # type: ignore[no-any-return]


def _capture_like(size: int, seed: int = 0) -> bytes:
    """Long runs with some noise, as logic captures compress."""
    rng = np.random.default_rng(seed)
    levels = rng.integers(0, 4, size // 64 + 1, dtype=np.uint8)
    data = np.repeat(levels, rng.integers(1, 128, levels.size))[:size]
    return data.tobytes()


def _zip(tmp_path: Path, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> Path:
    path = tmp_path / "m.zip"
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("logic-1-1", data)
    return path


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("block", [1, 4096, 1 << 20, 8 << 20])
def test_both_backends_give_the_member_bytes(
    tmp_path: Path, backend: ModuleType, method: int, block: int
) -> None:
    data = _capture_like(3_000_003 if block > 1 else 5000)
    path = _zip(tmp_path, data, method)
    info = zipfile.ZipFile(path).getinfo("logic-1-1")
    parts = list(stream_member(path, info, block))
    assert b"".join(parts) == data
    assert all(0 < len(p) <= block for p in parts)


def test_zlib_ng_is_used_when_installed() -> None:
    pytest.importorskip("zlib_ng")
    assert inflate.BACKEND == "zlib-ng"


def test_missing_zlib_ng_falls_back_to_the_standard_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "zlib_ng", None)  # import zlib_ng raises ImportError
    assert inflate._backend() is stdlib_zlib


def test_a_wrong_crc_or_size_is_an_error(tmp_path: Path, backend: ModuleType) -> None:
    data = _capture_like(200_000)
    path = _zip(tmp_path, data)
    info = zipfile.ZipFile(path).getinfo("logic-1-1")

    def run(i: zipfile.ZipInfo) -> object:
        return list(stream_member(path, i, 4096))

    bad_crc = _copy(info, CRC=info.CRC ^ 1)
    with pytest.raises(InflateError, match="fails its CRC"):
        run(bad_crc)
    with pytest.raises(InflateError, match=r"declared 200001|fails its CRC"):
        run(_copy(info, file_size=info.file_size + 1))
    # Declared smaller than it inflates to: never inflated past the declared size.
    with pytest.raises(InflateError, match="declared 1000"):
        run(_copy(info, file_size=1000))


def _copy(info: zipfile.ZipInfo, **changes: int) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    for slot in ("compress_type", "compress_size", "file_size", "CRC", "header_offset"):
        setattr(new, slot, getattr(info, slot))
    new.flag_bits = info.flag_bits
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def test_damaged_or_truncated_data_is_an_error(tmp_path: Path, backend: ModuleType) -> None:
    data = _capture_like(300_000, seed=3)
    path = _zip(tmp_path, data)
    info = zipfile.ZipFile(path).getinfo("logic-1-1")
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    mid = start + info.compress_size // 2
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw[:mid]) + b"\xff" * 64 + bytes(raw[mid + 64 :]))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bytes(raw[:mid]))
    for p in (damaged, cut):
        with pytest.raises(InflateError):
            list(stream_member(p, info, 4096))


def test_encrypted_or_other_methods_are_left_to_zipfile(tmp_path: Path) -> None:
    path = _zip(tmp_path, b"abc")
    info = zipfile.ZipFile(path).getinfo("logic-1-1")
    assert inflate.handled(info)
    assert not inflate.handled(_copy(info, compress_type=zipfile.ZIP_BZIP2))
    assert not inflate.handled(_copy(info, flag_bits=info.flag_bits | 1))
