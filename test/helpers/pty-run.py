#!/usr/bin/env python3
"""Runs a program in a pseudo-terminal (Python's standard pty module: no packages, no downloads).

    python3 pty-run.py COLUMNS ROWS PROGRAM [ARGS...]

The program's stdin, stdout and stderr are the terminal, so it sees isTTY everywhere, as in a real shell.
What it writes comes out on our stdout, unchanged (escape sequences and echo included); what we read on
our stdin is typed into the terminal (a line discipline in canonical mode: "n\\r" is an answer). When our
stdin ends we stop typing but keep reading. We exit with the program's exit code, or 128 + its signal.
"""
import errno
import fcntl
import os
import pty
import select
import struct
import sys
import termios


def main() -> int:
    cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()
    if pid == 0:
        # The child: its controlling terminal is the pty's slave side.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvp(argv[0], argv)
    stdin = sys.stdin.fileno()
    stdout = sys.stdout.fileno()
    inputs = [master, stdin]
    while True:
        ready, _, _ = select.select(inputs, [], [])
        if stdin in ready:
            data = os.read(stdin, 4096)
            if data:
                os.write(master, data)
            else:
                inputs.remove(stdin)
        if master in ready:
            try:
                data = os.read(master, 4096)
            except OSError as error:
                # Linux answers EIO once the child and everything it started closed the terminal.
                if error.errno != errno.EIO:
                    raise
                data = b""
            if not data:
                break
            os.write(stdout, data)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
