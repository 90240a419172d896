"""What a sandboxed program may still read outside its workspace.

Where mount namespaces work (Linux), pid1.py covers every top-level entry of
the filesystem that is not listed here with an empty read-only tmpfs (a file
with /dev/null), binds the listed paths that lay under a covered directory
back in read-only, and binds the workspace back writable. A program therefore
reads what it needs to run and nothing else of the host: not this checkout
(``neuronaut.toml`` and ``checkpoints/`` can hold Telegram session strings),
not /root or /home, not other runs' directories under /tmp.

Listed, and why:

* **System directories**: /usr (compilers, the linker, headers, libraries),
  /bin, /sbin and /lib* (often symlinks into /usr), /etc (the dynamic
  linker's cache, passwd, locales, time zones; the project keeps nothing
  there), /dev (device nodes; pid1.py gives the run its own empty /dev/shm
  instead of the host's shared one), /proc (the PID namespace's own) and /sys
  (the C library reads the CPU count there).
* **The Python that runs run_python**: this interpreter's prefix, which may be
  a virtualenv inside the checkout (only that directory, not the checkout),
  and the installation it was made from.
* **The Swift toolchain**: the directory on PATH that holds ``swift`` and the
  toolchain root its symlinks lead to (``/opt/swift`` for
  ``/opt/swift/usr/bin/swift-driver``).

Where namespaces are missing (macOS, or a kernel that forbids them) nothing is
hidden and every result's ``sandbox.notes`` says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/dev", "/proc", "/sys")


def readable_paths(swift: str | None) -> tuple[str, ...]:
    """Existing real paths a program may read, none inside another; never ``/`` (that would hide nothing)."""
    candidates = {os.path.realpath(path) for path in (*SYSTEM_DIRS, *_python_dirs(), *_toolchain_dirs(swift))}
    found: list[str] = []
    for real in sorted(candidates, key=lambda path: (path.count("/"), path)):
        # pid1.py gets the list as one newline-separated argument.
        usable = real != "/" and "\n" not in real and os.path.exists(real)
        if usable and not any(real.startswith(outer + "/") for outer in found):
            found.append(real)
    return tuple(found)


def _python_dirs() -> list[str]:
    prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    return [*prefixes, os.path.dirname(os.path.realpath(sys.executable))]


def _toolchain_dirs(swift: str | None) -> list[str]:
    if not swift:
        return []
    real = Path(os.path.realpath(swift))
    folders = real.parts[:-1]
    if "usr" in folders:
        # The toolchain is the tree above its last usr/: it holds the compiler's libraries and clang too.
        last_usr = len(folders) - 1 - folders[::-1].index("usr")
        root = Path(*folders[:last_usr])
    else:
        root = real.parent.parent
    # /usr/bin/swift would make the root /, which would unhide everything; /usr is listed anyway.
    toolchain = str(root) if str(root) != "/" else str(real.parent)
    return [os.path.dirname(os.path.abspath(swift)), toolchain]
