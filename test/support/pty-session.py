"""Drives a command in a pseudo-terminal, as a person at a keyboard would.

Usage: python3 pty-session.py <command> [args...] with a JSON script on stdin:
  [{"send": "hint\r"}, {"expect": "Hint 1/", "timeout": 20}, {"quiet": 1.5}, ...]
  send   - bytes typed (\r is Enter, \x04 is Ctrl-D)
  expect - a regular expression the output (since the last expect) must reach in time
  quiet  - seconds to keep reading, to catch output that must NOT appear
Prints a JSON object: {"ok": bool, "failed": step or null, "output": everything read}.
"""
import json, os, pty, re, select, sys, time

script = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

output = b""
mark = 0  # where the next expect starts looking

def read_for(seconds):
    global output
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        output += chunk

failed = None
for step in script:
    if "send" in step:
        os.write(fd, step["send"].encode())
    elif "expect" in step:
        pattern = re.compile(step["expect"].encode())
        deadline = time.time() + step.get("timeout", 30)
        while True:
            found = pattern.search(output, mark)
            if found:
                mark = found.end()
                break
            if time.time() > deadline:
                failed = step
                break
            read_for(0.2)
        if failed:
            break
    elif "quiet" in step:
        read_for(step["quiet"])

try:
    os.kill(pid, 9)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
print(json.dumps({"ok": failed is None, "failed": failed, "output": output.decode("utf-8", "replace")}))
