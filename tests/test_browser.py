# SPDX-License-Identifier: GPL-2.0-only
"""The notebook bench in a real browser (issue 19 item 7): JupyterLab on 127.0.0.1,
Debian's chromium driven by Playwright, one notebook run from the page.

It checks what only a browser shows: each plot appears once, the register editor
is drawn and a click on a bit plus Write reaches the simulated PHY, the tables and
views render in the light and the dark theme.  Screenshots of both themes go to
``.artifacts/browser/`` (or ``$PHYSCAPY_ARTIFACTS``) for a person to look at.
One JupyterLab start for the whole test, to keep ``make test`` short.  Without
chromium the test is skipped locally and fails in CI (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.conftest import ROOT, need

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("PHYSCAPY_ARTIFACTS", ROOT / ".artifacts")) / "browser"
TOKEN = "physcapy-browser-test"
#: The stored tutorial opened (not run) to see what a reopened notebook shows.
STORED = "01-frames-and-registers"

#: The notebook: (name, source); the names pick the cells out on the page.
CELLS = [
    ("load", "%load_ext physcapy\nconnect('sim://lan8720a@1,dp83848@3')"),
    ("scan", "scan()"),
    ("register", "rd(1, 'BMSR')"),
    ("dump", "dump(3)"),
    ("editor", "edit(1, 'BMCR')"),
    ("rd_edit", "rd(3, 'BMCR')"),
    (
        "plot",
        "from physcapy.mdio.transactions import Transaction as T\n"
        "plot_waveform([T(0, 0, 22, 'read', 1, 1, 0x796D)])",
    ),
    (
        "plot_assigned",
        "from physcapy.pal import Pal\nk = Pal(bus, 'linux26')\n"
        "k.phy_start(k.phy_connect(k.netdev('eth0'), '0:01')); k.run(4)\n"
        "p = plot_timeline(k.events)",
    ),
    (
        "explore",
        "explore_waveform([T(i * 3e-5, 0, 22, 'read', 1, 1, 0x796D) for i in range(300)])",
    ),
    (
        "check",
        "print('BMCR', hex(bus.read(1, 0)), 'PHY 3 BMCR', hex(bus.read(3, 0)),"
        " 'ADVERTISE', hex(bus.read(3, 4)))",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(where: Path) -> None:
    """Light theme first, every cell rendered (no windowing), no news or update pop-ups."""
    files = {
        "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {"theme": "JupyterLab Light"},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, content in files.items():
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need(Path(CHROMIUM).exists(), f"chromium ({CHROMIUM}; apt-get install chromium)")
    need(shutil.which("jupyter-lab") is not None or _has("jupyterlab"), "jupyterlab")
    need(_has("playwright"), "playwright")
    home = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for _, src in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, home / "bench.ipynb")
    _settings(home / ".lab" / "settings")
    port = _free_port()
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / ".lab" / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / ".lab" / "workspaces"),
        JUPYTER_CONFIG_DIR=str(home / ".lab" / "config"),
        JUPYTER_RUNTIME_DIR=str(home / ".lab" / "runtime"),
        JUPYTER_DATA_DIR=str(home / ".lab" / "data"),  # the notary of trusted notebooks
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    # A tutorial as stored (outputs, no widget state), trusted as a user's own saved
    # notebook is: JupyterLab then prefers widget views to the HTML beside them.
    shutil.copy(ROOT / "notebooks" / f"{STORED}.ipynb", home / "stored.ipynb")
    subprocess.run(
        [sys.executable, "-m", "jupyter", "trust", str(home / "stored.ipynb")],
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={home}",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.disable_check_xsrf=True",
            "--allow-root",
            "--LabApp.extension_manager=readonly",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(home / ".lab" / "lab.log", "w"),  # noqa: SIM115
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((home / ".lab" / "lab.log").read_text()[-3000:]) from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _cell(page: Any, name: str) -> Any:
    index = [n for n, _ in CELLS].index(name)
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def _command(page: Any, command: str, args: dict[str, Any] | None = None) -> None:
    """Start a JupyterLab command (not awaited: what it does is waited for on the page)."""
    page.evaluate(
        "([c, a]) => { window.jupyterapp.commands.execute(c, a); return null; }",
        [command, args or {}],
    )


def test_notebook_bench_in_chromium(lab: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        try:
            _drive(page, expect, lab)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"))
            raise
        finally:
            browser.close()


def _drag(page: Any, plot: Any, start: float, stop: float) -> None:
    """A box zoom across the plot area from ``start`` to ``stop`` (fractions of its width)."""
    box = plot.locator(".nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + start * box["width"] + 1, y)
    page.mouse.down()
    for k in range(1, 5):
        x = box["x"] + (start + (stop - start) * k / 4) * box["width"]
        page.mouse.move(x, y + 2 * k)
    page.mouse.up()


_KERNEL_IDLE = (
    "() => { const w = window.jupyterapp.shell.currentWidget;"
    " const k = w && w.sessionContext && w.sessionContext.session"
    " && w.sessionContext.session.kernel; return !!k && k.status === 'idle'; }"
)


def _step(what: str) -> None:
    print(f"[browser test {time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def _drive(page: Any, expect: Any, lab: str) -> None:
    _step("open the notebook")
    page.goto(f"{lab}/lab/tree/bench.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget")
    # JupyterLab may still ask which kernel (a race with the session it restores).
    deadline = time.monotonic() + 60
    while not page.evaluate(_KERNEL_IDLE):
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        if accept.count():
            accept.first.click()
        assert time.monotonic() < deadline, "the notebook's kernel did not start"
        time.sleep(0.2)
    _step("run all cells")
    _command(page, "notebook:run-all-cells")
    check = _cell(page, "check")
    expect(check.locator(".jp-OutputArea-output")).to_contain_text("BMCR 0x", timeout=90_000)

    # Views render as HTML tables, not reprs.
    expect(_cell(page, "scan").locator("table.physcapy")).to_contain_text("0x0007c0f1")
    expect(_cell(page, "register").locator("table.physcapy-register")).to_contain_text(
        "link_status"
    )
    assert "ScanEntry(" not in _cell(page, "scan").inner_text()
    # Each plot appears once, as the cell's value and when assigned.
    for name in ("plot", "plot_assigned"):
        expect(_cell(page, name).locator(".jp-OutputArea-output img")).to_have_count(1)

    # The editor: a bit clicked, Write, and the PHY has it.
    editor = _cell(page, "editor").locator(".physcapy-editor")
    expect(editor).to_be_visible()
    before = int(editor.locator("code").first.inner_text(), 16)
    after = before ^ 0x4000  # bit 14, loopback (RW)
    editor.locator(".physcapy-bit-14").first.click()
    expect(editor.locator("code").first).to_have_text(f"0x{after:04x}")
    editor.locator(".physcapy-write").first.click()
    expect(editor).to_contain_text(f"wrote 0x{after:04x}")

    # The editor opened from a register's view: rd()'s table has Edit under it.
    _step("edit from rd()")
    view = _cell(page, "rd_edit")
    expect(view.locator("table.physcapy-register")).to_contain_text("autoneg_enable")
    shown = int(view.locator("table.physcapy-register caption code").first.inner_text(), 16)
    view.locator(".physcapy-live .physcapy-edit").first.click()
    opened = view.locator(".physcapy-editor")
    expect(opened).to_be_visible()
    expect(opened.locator("code").first).to_have_text(f"0x{shown:04x}")
    loop = shown ^ 0x4000  # loopback again, on PHY 3
    opened.locator(".physcapy-bit-14").first.click()
    expect(opened.locator("code").first).to_have_text(f"0x{loop:04x}")
    opened.locator(".physcapy-write").first.click()
    expect(opened).to_contain_text(f"wrote 0x{loop:04x}")

    # And from dump()'s table: a register picked, Edit, a bit, Write.
    _step("edit from dump()")
    dumped = _cell(page, "dump")
    dumped.locator(".physcapy-pick select").select_option(label="4 ADVERTISE")
    dumped.locator(".physcapy-edit").first.click()
    adv = dumped.locator(".physcapy-editor")
    expect(adv).to_contain_text("ADVERTISE")
    old = int(adv.locator("code").first.inner_text(), 16)
    new = old ^ 0x0100  # 100BASE-TX full duplex
    adv.locator(".physcapy-bit-8").first.click()
    adv.locator(".physcapy-write").first.click()
    expect(adv).to_contain_text(f"wrote 0x{new:04x}")

    _step("check the PHYs")
    check.click()
    _command(page, "notebook:run-cell")
    expect(check.locator(".jp-OutputArea-output")).to_contain_text(
        f"BMCR 0x{after:04x} PHY 3 BMCR 0x{loop:04x} ADVERTISE {hex(new)}"
    )

    _step("zoom the waveform")
    explore = _cell(page, "explore")
    expect(explore.locator(".js-plotly-plot")).to_contain_text("300 frames in view")
    assert "DATA 0x796d" not in explore.inner_text()
    # Two box zooms, as a person homes in: a few pixels in the middle (a few frames),
    # then across the first of them (one frame: each field labelled).
    explore.scroll_into_view_if_needed()
    plot = explore.locator(".js-plotly-plot")
    _drag(page, plot, 0.5, 0.52)
    expect(plot).to_contain_text("PRE 32", timeout=20_000)
    _drag(page, plot, 0.0, 0.2)
    expect(explore.locator(".js-plotly-plot")).to_contain_text("DATA 0x796d", timeout=20_000)
    expect(explore.locator(".js-plotly-plot")).to_contain_text("C22 read PHY 1 BMSR")

    for theme in ("light", "dark"):
        if theme == "dark":
            _command(page, "apputils:change-theme", {"theme": "JupyterLab Dark"})
            page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
            time.sleep(0.5)  # the theme's stylesheet settles
        for name in (
            "scan",
            "register",
            "dump",
            "editor",
            "rd_edit",
            "plot",
            "plot_assigned",
            "explore",
        ):
            cell = _cell(page, name)
            cell.scroll_into_view_if_needed()
            cell.screenshot(path=str(ARTIFACTS / f"{theme}-{name}.png"))
        # The table text takes the theme's colour: light text on the dark theme.
        color = (
            _cell(page, "scan")
            .locator("table.physcapy td")
            .first.evaluate("e => getComputedStyle(e).color")
        )
        rgb = [int(x) for x in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
        assert (sum(rgb) > 384) == (theme == "dark"), (theme, color)
        align = (
            _cell(page, "scan")
            .locator("table.physcapy td")
            .nth(4)
            .evaluate("e => getComputedStyle(e).textAlign")
        )
        assert align == "left"

    # Reopened without a kernel's widgets, rd()'s table is still there: only its Edit
    # bar (an output of its own) is lost.
    _step("open a stored notebook")
    page.goto(f"{lab}/lab/tree/stored.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    read = page.locator(".jp-Notebook .jp-Cell").filter(has_text='bmcr = rd(1, "BMCR")')
    expect(read.locator("table.physcapy-register")).to_contain_text("autoneg_enable")
    read.scroll_into_view_if_needed()
    read.screenshot(path=str(ARTIFACTS / "dark-stored-rd.png"))
