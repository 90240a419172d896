"""A minimal init for a sandboxed run's namespaces: ``pid1.py STATUS_FD WRITABLE_DIR READABLE RUN_AS PROGRAM...``.

Run as a plain script (``python -I -S pid1.py``), importing nothing of the
package, so it starts in milliseconds. It is started by ``unshare`` inside new
user, mount, network and PID namespaces, and does three things:

1. **Hides and locks the filesystem**, in this private mount namespace only.
   First, unless READABLE is ``-``, every top-level directory that is not one
   of the newline-separated READABLE paths gets an empty tmpfs over it (a
   top-level file gets /dev/null), and the READABLE paths and WRITABLE_DIR
   (the workspace) that lay under a covered directory are bound back in, so
   nothing else of the host can be read (see ``visibility``); the host's
   shared /dev/shm is replaced by an empty private one. Then every mount
   except WRITABLE_DIR, /proc and /dev is remounted read-only, so the program
   cannot change anything outside the workspace even though it runs as
   (namespaced) root, nor leave its pids cgroup via /sys. WRITABLE_DIR ``-``
   skips all of this. Any failure stops the run (exit 125): fail closed.
2. **Drops every capability** from the program (bounding set emptied, no new
   privileges), so it cannot undo step 1 by remounting, and unless RUN_AS is
   ``-`` switches it to that ``UID:GID`` with no supplementary groups. The
   workspace is handed to that user first (see ``hand_over``). Covers are
   mode 711: the user can pass through them to what was bound back, but
   cannot list them.
3. **Is init.** The kernel shields a PID namespace's init from signals it has
   no handler for, so a program running *as* init would ignore SIGXFSZ,
   SIGXCPU and the like. This script is init instead: it starts the program
   as an ordinary process, reaps orphans, and when the program ends writes
   ``exit N`` or ``signal N`` to STATUS_FD. Its own exit then tears the
   namespace down, killing anything the program left behind.
"""

import codecs
import ctypes
import os
import signal
import stat
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_RELATIME = 1024, 2048, 4096, 16384, 1 << 21
# Flags a remount inside a user namespace must repeat, or the kernel refuses it.
KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
              "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
STILL_WRITABLE = ("/proc", "/dev")
COVER_OPTIONS = "mode=711,size=1m"  # holds only the directories that kept paths are bound onto
PRIVATE_SHM, SHM_OPTIONS = "/dev/shm", "mode=1777,size=64m"
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
SETUP_FAILED = 125

libc = ctypes.CDLL(None, use_errno=True)


def main() -> int:
    status_fd, writable, readable, run_as, argv = int(sys.argv[1]), *sys.argv[2:5], sys.argv[5:]
    os.set_inheritable(status_fd, False)  # the program must not see or forge the status
    user = tuple(int(part) for part in run_as.split(":")) if run_as != "-" else None
    try:
        if writable != "-":
            workspace, cwd = os.path.realpath(writable), os.getcwd()
            covered, restored = [], []
            if readable != "-":
                # mounts() needs this codec, loaded lazily from the stdlib: load it while that is surely visible.
                codecs.lookup("unicode_escape")
                covered, restored = hide_all_but([*readable.split("\n"), workspace])
            make_read_only_except(workspace, covered, restored)
            if user:
                hand_over(workspace, *user)
            # The working directory still points into the old, now covered or
            # read-only mount; entering it again by name lands on the workspace's bind mount.
            os.chdir(cwd)
    except OSError as exc:
        os.write(2, f"sandbox setup failed: {exc}\n".encode())
        return SETUP_FAILED
    child = os.fork()
    if child == 0:
        run_program(argv, user)
    status = wait_for(child)
    if os.WIFSIGNALED(status):
        report, code = f"signal {os.WTERMSIG(status)}", 128 + os.WTERMSIG(status)
    else:
        report, code = f"exit {os.WEXITSTATUS(status)}", os.WEXITSTATUS(status)
    os.write(status_fd, report.encode())
    return code


def hide_all_but(keep: list[str]) -> tuple[list[str], list[str]]:
    """Cover what is not kept; returns the covered top-level directories and the paths bound back under them."""
    # A path inside another kept one comes back with it (a recursive bind); binding it again is needless.
    keep = [path for path in keep if not any(inside(path, other) and path != other for other in keep)]
    # Opened first: once the directory above them is covered, their names lead nowhere.
    handles = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in dict.fromkeys(keep)}
    null = os.open("/dev/null", os.O_PATH | os.O_CLOEXEC)  # for top-level files, even if /dev is not kept
    covered, restored = [], []
    try:
        for entry in os.scandir("/"):
            # A symlink (/bin -> usr/bin) has no contents of its own: where it leads is kept or covered.
            if entry.is_symlink() or any(inside(entry.path, path) for path in keep):
                continue
            if entry.is_dir(follow_symlinks=False):
                mount("tmpfs", entry.path, MS_NOSUID | MS_NODEV, "tmpfs", COVER_OPTIONS)
                covered.append(entry.path)
            else:
                mount(f"/proc/self/fd/{null}", entry.path, MS_BIND)
        for path, handle in handles.items():
            if any(inside(path, top) for top in covered):
                make_mount_point(path, stat.S_ISDIR(os.fstat(handle).st_mode))
                # The kernel resolves the descriptor's magic link to the original, now covered, path.
                mount(f"/proc/self/fd/{handle}", path, MS_BIND | MS_REC)
                restored.append(path)
    finally:
        for handle in [*handles.values(), null]:
            os.close(handle)
    for top in covered:  # locked here: make_read_only_except skips whatever lies under a cover
        mount(None, top, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    if os.path.isdir(PRIVATE_SHM):
        mount("tmpfs", PRIVATE_SHM, MS_NOSUID | MS_NODEV, "tmpfs", SHM_OPTIONS)
    return covered, restored


def hand_over(workspace: str, uid: int, gid: int) -> None:
    """Give what the server wrote in the workspace (the workspace too) to the program's user.

    Only entries the server's own user owns change hands: files of other
    users in a workspace someone pointed the server at keep their owner.
    Runs after everything outside the workspace is read-only: a symlink is
    never followed (fwalk with descriptors, chown of the link itself), and a
    hard link the program could make to a file outside lives on another
    mount, which link() refuses; a file with several links is skipped anyway.
    """
    server = os.geteuid()
    if os.stat(workspace).st_uid == server:
        os.chown(workspace, uid, gid)
    for _top, folders, files, top_fd in os.fwalk(workspace, follow_symlinks=False):
        for name in [*folders, *files]:
            info = os.stat(name, dir_fd=top_fd, follow_symlinks=False)
            if info.st_uid == server and (stat.S_ISDIR(info.st_mode) or info.st_nlink == 1):
                os.chown(name, uid, gid, dir_fd=top_fd, follow_symlinks=False)


def make_mount_point(path: str, directory: bool) -> None:
    if directory:
        os.makedirs(path, mode=0o711, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(path), mode=0o711, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def make_read_only_except(writable: str, covered: list[str], restored: list[str]) -> None:
    # A bind mount of the workspace onto itself is its own mount, left writable.
    mount(writable, writable, MS_BIND | MS_REC)
    for mount_point, options in mounts():
        if inside(mount_point, writable) or any(inside(mount_point, keep) for keep in STILL_WRITABLE):
            continue
        # A host mount under a cover (/run/user/1000 under /run) cannot be reached, and its path may
        # not even exist on the cover: there is nothing to lock, and remounting it by path would fail.
        if any(inside(mount_point, top) for top in covered) and not any(inside(mount_point, r) for r in restored):
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


def mount(source: str | None, target: str, flags: int, fstype: str | None = None, options: str | None = None) -> None:
    encoded, kind, data = (text.encode() if text else None for text in (source, fstype, options))
    if libc.mount(encoded, target.encode(), kind, ctypes.c_ulong(flags), data) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def run_program(argv: list[str], user: tuple[int, int] | None) -> None:
    # Python ignores these at startup and exec keeps ignored signals ignored;
    # the program must get the defaults (die on SIGXFSZ past the size limit).
    for name in ("SIGPIPE", "SIGXFSZ", "SIGXFZ"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    try:
        drop_capabilities()
        if user:
            # Groups first: once the uid is not 0 any more, the process may not change them.
            os.setgroups([])
            os.setresgid(user[1], user[1], user[1])
            os.setresuid(user[0], user[0], user[0])
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
