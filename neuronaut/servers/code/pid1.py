"""A minimal init for a sandboxed run's namespaces: ``pid1.py STATUS_FD WRITABLE_DIR PROGRAM [ARGS...]``.

Run as a plain script (``python -I -S pid1.py``), importing nothing of the
package, so it starts in milliseconds. It is started by ``unshare`` inside new
user, mount, network and PID namespaces, and does three things:

1. **Locks the filesystem.** Every mount except WRITABLE_DIR (the workspace),
   /proc and /dev is remounted read-only in this private mount namespace, so
   the program cannot change anything outside the workspace even though it
   runs as (namespaced) root, nor leave its pids cgroup via /sys. WRITABLE_DIR
   ``-`` skips this. Any failure stops the run (exit 125): fail closed.
2. **Drops every capability** from the program (bounding set emptied, no new
   privileges), so it cannot undo step 1 by remounting.
3. **Is init.** The kernel shields a PID namespace's init from signals it has
   no handler for, so a program running *as* init would ignore SIGXFSZ,
   SIGXCPU and the like. This script is init instead: it starts the program
   as an ordinary process, reaps orphans, and when the program ends writes
   ``exit N`` or ``signal N`` to STATUS_FD. Its own exit then tears the
   namespace down, killing anything the program left behind.
"""

import ctypes
import os
import signal
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_RELATIME = 1024, 2048, 4096, 16384, 1 << 21
# Flags a remount inside a user namespace must repeat, or the kernel refuses it.
KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
              "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
STILL_WRITABLE = ("/proc", "/dev")
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
SETUP_FAILED = 125

libc = ctypes.CDLL(None, use_errno=True)


def main() -> int:
    status_fd, writable, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    os.set_inheritable(status_fd, False)  # the program must not see or forge the status
    try:
        if writable != "-":
            make_read_only_except(os.path.realpath(writable))
            # The working directory still points into the old, now read-only
            # mount; entering it again by name lands on the writable bind mount.
            os.chdir(os.getcwd())
    except OSError as exc:
        os.write(2, f"sandbox setup failed: {exc}\n".encode())
        return SETUP_FAILED
    child = os.fork()
    if child == 0:
        run_program(argv)
    status = wait_for(child)
    if os.WIFSIGNALED(status):
        report, code = f"signal {os.WTERMSIG(status)}", 128 + os.WTERMSIG(status)
    else:
        report, code = f"exit {os.WEXITSTATUS(status)}", os.WEXITSTATUS(status)
    os.write(status_fd, report.encode())
    return code


def make_read_only_except(writable: str) -> None:
    # A bind mount of the workspace onto itself is its own mount, left writable.
    mount(writable, writable, MS_BIND | MS_REC)
    for mount_point, options in mounts():
        if inside(mount_point, writable) or any(inside(mount_point, keep) for keep in STILL_WRITABLE):
            continue
        if "ro" in options:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for option in options:
            flags |= KEPT_FLAGS.get(option, 0)
        mount(None, mount_point, flags)


def mounts() -> list[tuple[str, list[str]]]:
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            # mountinfo escapes spaces and the like as octal (\040).
            point = fields[4].encode().decode("unicode_escape")
            found.append((point, fields[5].split(",")))
    return found


def mount(source: str | None, target: str, flags: int) -> None:
    encoded = source.encode() if source else None
    if libc.mount(encoded, target.encode(), None, ctypes.c_ulong(flags), None) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def run_program(argv: list[str]) -> None:
    # Python ignores these at startup and exec keeps ignored signals ignored;
    # the program must get the defaults (die on SIGXFSZ past the size limit).
    for name in ("SIGPIPE", "SIGXFSZ", "SIGXFZ"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    try:
        drop_capabilities()
        os.execvp(argv[0], argv)
    except OSError as exc:
        os.write(2, f"cannot run {argv[0]}: {exc}\n".encode())
    os._exit(127)


def drop_capabilities() -> None:
    with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as handle:
        last = int(handle.read())
    for capability in range(last + 1):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"cannot drop capability {capability}")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot set no_new_privs")


def wait_for(child: int) -> int:
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 0  # cannot happen while the child lives; never loop forever
        if pid == child:
            return status


if __name__ == "__main__":
    sys.exit(main())
