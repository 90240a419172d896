"""A minimal init for a sandboxed run's PID namespace: ``pid1.py STATUS_FD PROGRAM [ARGS...]``.

Run as a plain script (``python -I -S pid1.py``), importing nothing of the
package, so it starts in milliseconds.

Why it exists: in a new PID namespace the first process is the namespace's
init, and the kernel shields init from signals it has no handler for. A user
program running as init would therefore *ignore* SIGXFSZ (writing past the
file-size limit), SIGXCPU and the like, and a crash could not be told apart
from an exit. So this shim is init instead: it starts the program as an
ordinary process, reaps every orphan (init's job), and when the program ends
writes ``exit N`` or ``signal N`` to STATUS_FD for the server to read. Its
own exit then tears the namespace down, killing anything the program left.
"""

import os
import signal
import sys


def main() -> int:
    status_fd = int(sys.argv[1])
    argv = sys.argv[2:]
    os.set_inheritable(status_fd, False)  # the program must not see or forge the status
    child = os.fork()
    if child == 0:
        # Python ignores these at startup and exec keeps ignored signals ignored;
        # the program must get the defaults (die on SIGXFSZ past the size limit).
        for name in ("SIGPIPE", "SIGXFSZ", "SIGXFZ"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        try:
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(2, f"cannot run {argv[0]}: {exc.strerror}\n".encode())
            os._exit(127)
    status = _wait_for(child)
    if os.WIFSIGNALED(status):
        report, code = f"signal {os.WTERMSIG(status)}", 128 + os.WTERMSIG(status)
    else:
        report, code = f"exit {os.WEXITSTATUS(status)}", os.WEXITSTATUS(status)
    os.write(status_fd, report.encode())
    return code


def _wait_for(child: int) -> int:
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 0  # cannot happen while the child lives; never loop forever
        if pid == child:
            return status


if __name__ == "__main__":
    sys.exit(main())
