#!/usr/bin/env python3
"""pty_run.py OUT [--expect TEXT --send LINE]... COMMAND...: runs COMMAND with
stdin, stdout and stderr on a new pseudo-terminal (so it sees a terminal, as
a user's shell would) and writes every byte it sent to the terminal into OUT.
Each --expect/--send pair types LINE (and Enter) once TEXT has appeared, as a
person answering a prompt would. Exits with the command's status."""
import fcntl
import os
import pty
import struct
import sys
import termios

out_path, argv = sys.argv[1], sys.argv[2:]
script = []
while len(argv) >= 4 and argv[0] == "--expect" and argv[2] == "--send":
    line = argv[3].encode()
    # A control character (such as Ctrl-C) is sent alone, without Enter.
    script.append((argv[1].encode(), line if len(line) == 1 and line[0] < 32 else line + b"\r"))
    argv = argv[4:]
pid, fd = pty.fork()
if pid == 0:
    # A wide terminal (PTY_COLUMNS, default 200) so that tables are not cut.
    cols = int(os.environ.get("PTY_COLUMNS", "200"))
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    os.execvp(argv[0], argv)
data = b""
sent_upto = 0
# OUT grows as the terminal receives, so a test can wait for what is shown.
out = open(out_path, "wb")
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO once the child has closed its side
        break
    if not chunk:
        break
    data += chunk
    out.write(chunk)
    out.flush()
    # Typed only once the prompt is there, so echo is already off for secrets.
    while script and script[0][0] in data[sent_upto:]:
        sent_upto = data.index(script[0][0], sent_upto) + len(script[0][0])
        os.write(fd, script.pop(0)[1])
_, status = os.waitpid(pid, 0)
out.close()
sys.exit(os.waitstatus_to_exitcode(status))
