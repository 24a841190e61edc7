# SPDX-License-Identifier: GPL-2.0-only
"""The cache of parsed register descriptions: used while current, never trusted blindly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from physcapy.errors import LayerFileError
from physcapy.registers.cache import cache_dir, load_folder
from physcapy.registers.regdesc import load_file
from physcapy.resources import data_dir


@pytest.fixture
def layers(tmp_path: Path) -> Path:
    folder = tmp_path / "layers"
    shutil.copytree(data_dir("layers"), folder)
    return folder


class Counting:
    """load_file, counting the files it parses."""

    def __init__(self) -> None:
        self.parsed: list[str] = []

    def __call__(self, path: Path):  # type: ignore[no-untyped-def]
        self.parsed.append(path.name)
        return load_file(path)


def test_parsed_once_then_read_back(layers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = Counting(), Counting()
    a = load_folder(layers, first, cache)
    b = load_folder(layers, second, cache)
    assert len(first.parsed) == len(list(layers.glob("*.toml"))) > 30
    assert second.parsed == []
    assert [d.name for d in a] == [d.name for d in b]
    # The read-back is the parsed description itself, not only its names and sizes: every
    # field, register, bit field and MMD (compared by repr: the specs hold compiled parts
    # without value equality; the line map is only for error messages).
    assert [repr(replace(d, lines=None)) for d in a] == [repr(replace(d, lines=None)) for d in b]


def test_a_changed_added_or_removed_file_is_parsed_again(layers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_folder(layers, load_file, cache)
    lan = layers / "microchip-lan8720a.toml"
    lan.write_text(lan.read_text().replace('title = "', 'title = "Edited ', 1))
    again = Counting()
    descs = load_folder(layers, again, cache)
    assert len(again.parsed) > 30  # the whole folder, so the model checks see it all
    assert next(d for d in descs if d.name == "lan8720a").title.startswith("Edited ")
    (layers / "ti-dp83848ti.toml").unlink()
    assert "dp83848ti" not in [d.name for d in load_folder(layers, load_file, cache)]


def test_a_bad_file_raises_every_time_and_is_not_cached(layers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (layers / "broken.toml").write_text("[model\n")
    for _ in range(2):
        with pytest.raises(LayerFileError, match="broken.toml"):
            load_folder(layers, load_file, cache)
    assert list(cache.glob("*.pickle")) == []  # the folder may exist, but holds no cache


def test_damaged_or_foreign_cache_files_are_ignored(layers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_folder(layers, load_file, cache)
    (file,) = cache.glob("layers-*.pickle")
    file.write_bytes(file.read_bytes()[:100])  # truncated
    counting = Counting()
    load_folder(layers, counting, cache)
    assert counting.parsed  # parsed, and the cache written anew
    counting = Counting()
    load_folder(layers, counting, cache)
    assert not counting.parsed
    os.chmod(file, 0o666)  # others could have written it: unpickling would run their code
    counting = Counting()
    load_folder(layers, counting, cache)
    assert counting.parsed


def test_turned_off_and_unwritable(layers: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHYSCAPY_NO_CACHE", "1")
    assert cache_dir() is None
    monkeypatch.delenv("PHYSCAPY_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "physcapy"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    counting = Counting()
    assert load_folder(layers, counting, blocked / "cache")  # cannot write: still works
    assert counting.parsed


def test_the_command_line_uses_the_cache(tmp_path: Path) -> None:
    """A second physcapy run reads the shipped descriptions from the cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("PHYSCAPY_NO_CACHE", None)
    env.pop("PHYSCAPY_LAYERS", None)
    cmd = [sys.executable, "-m", "physcapy", "read", "sim://", "1", "BMSR"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert list((tmp_path / "physcapy").glob("layers-*.pickle"))
    code = (
        "import physcapy.registers.regdesc as r, sys\n"
        "r.tomllib = None  # parsing would fail\n"
        "from physcapy.cli.main import main\n"
        "sys.exit(main(['read', 'sim://', '1', 'BMSR']))\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert second.stdout == first.stdout and "BMSR" in first.stdout


def test_an_edit_with_its_mtime_restored_is_still_seen(layers: Path, tmp_path: Path) -> None:
    """cp -p, tar and touch -r restore an mtime; the ctime still moves on."""
    cache = tmp_path / "cache"
    load_folder(layers, load_file, cache)
    lan = layers / "microchip-lan8720a.toml"
    before = lan.stat()
    lan.write_text(lan.read_text().replace('title = "Microchip', 'title = "Zicrochip', 1))
    os.utime(lan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert lan.stat().st_size == before.st_size and lan.stat().st_mtime_ns == before.st_mtime_ns
    descs = load_folder(layers, load_file, cache)
    assert next(d for d in descs if d.name == "lan8720a").title.startswith("Zicrochip")


def test_a_fifo_in_place_of_the_cache_does_not_hang(layers: Path, tmp_path: Path) -> None:
    import threading

    cache = tmp_path / "cache"
    load_folder(layers, load_file, cache)
    (file,) = cache.glob("layers-*.pickle")
    file.unlink()
    os.mkfifo(file, 0o600)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(load_folder(layers, load_file, cache)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    assert result and result[0], "load_folder blocked on a FIFO"


def test_folders_of_others_are_neither_read_nor_written(layers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_folder(layers, load_file, cache)
    os.chmod(cache, 0o777)  # anyone could have replaced the file: not read
    counting = Counting()
    load_folder(layers, counting, cache)
    assert counting.parsed
    if os.getuid() == 0:  # root running with another user's HOME: nothing created there
        theirs = tmp_path / "home"
        theirs.mkdir()
        os.chown(theirs, 54321, 54321)
        load_folder(layers, load_file, theirs / ".cache" / "physcapy")
        assert not (theirs / ".cache").exists()


def test_no_cache_without_an_absolute_home(monkeypatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("PHYSCAPY_NO_CACHE", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # "~": no home known
    assert cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    assert cache_dir() is None
