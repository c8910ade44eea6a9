#!/usr/bin/env python3
"""pty_run.py OUT COMMAND...: runs COMMAND with stdin, stdout and stderr on a
new pseudo-terminal (so it sees a terminal, as a user's shell would) and
writes every byte it sent to the terminal into OUT. Exits with its status."""
import fcntl
import os
import pty
import struct
import sys
import termios

out_path, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    # A wide terminal (PTY_COLUMNS, default 200) so that tables are not cut.
    cols = int(os.environ.get("PTY_COLUMNS", "200"))
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    os.execvp(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO once the child has closed its side
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
with open(out_path, "wb") as f:
    f.write(data)
sys.exit(os.waitstatus_to_exitcode(status))
