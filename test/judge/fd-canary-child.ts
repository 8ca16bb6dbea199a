/**
 * Run by escape.test.ts in a child process whose fd 200 is a canary file opened WITHOUT close-on-exec
 * (a shell redirect), as a careless launcher would leave it. Judges code that hunts for that descriptor
 * and prints what the code saw, as JSON, on stdout.
 */
import { createJudge } from "../../src/engine/judge/index.js";
import { inheritableFds } from "../../src/engine/judge/inherited-fds.js";
import { fixtureBank } from "./judge-fixtures.js";

const PY = `import os
def add(a, b):
    seen = {"fds": sorted(int(f) for f in os.listdir("/proc/self/fd") if os.path.lexists("/proc/self/fd/" + f))}
    try:
        seen["read"] = os.pread(200, 100, 0).decode("latin-1")
    except OSError as e:
        seen["read"] = e.strerror
    try:
        os.write(200, b"written-by-python")
    except OSError as e:
        seen["write"] = e.strerror
    return seen
`;
const JS = `const fs = require("fs");
function add(a, b) {
  const seen = {};
  try { const buf = Buffer.alloc(100); const n = fs.readSync(200, buf, 0, 100, 0); seen.read = buf.toString("latin1", 0, n); } catch (e) { seen.read = e.code; }
  try { fs.writeSync(200, "written-by-javascript"); } catch (e) { seen.write = e.code; }
  seen.links = fs.readdirSync("/proc/self/fd").map((fd) => { try { return fs.readlinkSync("/proc/self/fd/" + fd); } catch { return ""; } });
  return seen;
}
`;

const judge = await createJudge({ bank: fixtureBank() });
const python = await judge.judge("fixture-add", "python", PY);
const javascript = await judge.judge("fixture-add", "javascript", JS);
process.stdout.write(
  JSON.stringify({ mode: judge.mode, inherited: inheritableFds(5), python: python.failure?.got, javascript: javascript.failure?.got }),
);
