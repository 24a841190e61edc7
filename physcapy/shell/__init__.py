# SPDX-License-Identifier: GPL-2.0-only
"""The interactive faces: the physcapy shell, the IPython extension, plots and watch.

``launch`` starts IPython with a bus; ``console`` holds the helpers the shell and
notebooks put in the namespace (``rd``, ``wr``, ``dump``, ``pal``...); ``extension`` is
``%load_ext physcapy`` (magics, completion, display formatters); ``plots`` draws
waveforms, PAL timelines and register histories; ``watch`` follows a register like
``mii-tool -w``.  A face: may import everything but ``cli``.  IPython and matplotlib are
imported only where they are used.
"""
