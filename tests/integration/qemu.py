# SPDX-License-Identifier: GPL-2.0
"""Drive a QEMU machine over its serial console, with timeouts."""
import os
import re
import subprocess
import threading
import time


class TestFailure(Exception):
    pass


class Machine:
    """One QEMU run of scripts/run-qemu.sh; the console is logged to a file."""

    def __init__(self, top, name, args, logdir):
        self.name = name
        self.log_path = os.path.join(logdir, name + ".log")
        self.buf = ""
        self.pos = 0  # expect() consumes output up to here
        self.lock = threading.Lock()
        self.seq = 0
        self.log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self.proc = subprocess.Popen(
            [os.path.join(top, "scripts/run-qemu.sh")] + args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=top, start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            text = data.decode("utf-8", errors="replace").replace("\r", "")
            with self.lock:
                self.buf += text
            self.log.write(text)
            self.log.flush()

    def output(self):
        with self.lock:
            return self.buf

    def expect(self, pattern, timeout=60):
        """Wait for regex @pattern after the last match; return the match."""
        rx = re.compile(pattern)
        end = time.time() + timeout
        while True:
            with self.lock:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
            if self.proc.poll() is not None and not self.reader.is_alive():
                raise TestFailure(f"QEMU exited (status {self.proc.returncode}) before /{pattern}/")
            if time.time() > end:
                raise TestFailure(f"timed out after {timeout}s waiting for /{pattern}/")
            time.sleep(0.05)

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def run(self, cmd, timeout=60):
        """Run a shell command; return (status, output)."""
        self.seq += 1
        tag = f"__done{self.seq}__"
        # The marker is split in the typed command so that its echo does not match.
        self.send(f"{cmd}; echo __done{self.seq}''__ $?")
        m = self.expect(re.escape(tag) + r" (\d+)\n", timeout)
        with self.lock:
            text = self.buf[:m.start()]
        # The shell's echo of a long command wraps: allow line breaks anywhere in it.
        echo = "\n?".join(re.escape(c) for c in f"echo __done{self.seq}''__ $?")
        found = list(re.finditer(echo, text))
        rest = text[found[-1].end():] if found else ""
        body = rest.split("\n", 1)[1] if "\n" in rest else ""
        return int(m.group(1)), body

    def check(self, cmd, timeout=60):
        status, out = self.run(cmd, timeout)
        if status != 0:
            raise TestFailure(f"`{cmd}` exited with {status}:\n{out}")
        return out

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure(f"QEMU still running after {timeout}s")

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.reader.join(timeout=5)
        self.log.close()
