/**
 * The sandbox as the candidate's code sees it (real bubblewrap), the start-up self-test, and the
 * unsandboxed fallback that only an explicit, non-production setting enables.
 */
import { availableParallelism } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { createJudge, selfTestSandbox, type Judge } from "../../src/engine/judge/index.js";
import { RunQueue } from "../../src/engine/judge/queue.js";
import { ADD_JS, ADD_PY, fixtureBank } from "./judge-fixtures.js";
import { tmpEntries } from "./judge-host.js";

let judge: Judge;

beforeAll(async () => {
  judge = await createJudge({ bank: fixtureBank() });
});

/** What the code saw, shown as `got` of the failing visible example. */
async function observe(language: "python" | "javascript", source: string): Promise<Record<string, unknown>> {
  const result = await judge.judge("fixture-add", language, source);
  expect(result.verdict, result.message).toBe("wrong_answer");
  return result.failure?.got as Record<string, unknown>;
}

describe("start-up self-test", () => {
  it("passes on this machine for both languages", async () => {
    const result = await selfTestSandbox();
    expect(result.ok, result.ok ? "" : result.reason).toBe(true);
    if (result.ok) expect(result.languages).toEqual({ python: { ok: true }, javascript: { ok: true } });
    expect(judge.mode).toBe("sandbox");
    expect(judge.available).toBe(true);
    expect([...judge.languages].sort()).toEqual(["javascript", "python"]);
  });

  it("reports a reason when bubblewrap is missing", async () => {
    const result = await selfTestSandbox({ bwrapPath: "/nonexistent/bwrap" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/bubblewrap not found/);
  });
});

describe("inside the sandbox", () => {
  it("Python sees an unprivileged user, no environment, no network, a read-only system and nothing of the host", async () => {
    const seen = await observe(
      "python",
      `import os, resource, socket
def add(a, b):
    info = {"uid": os.getuid(), "gid": os.getgid(), "env": sorted(os.environ), "host": socket.gethostname(),
            "root": sorted(os.listdir("/")), "pids": sorted(p for p in os.listdir("/proc") if p.isdigit()),
            "cwd": os.getcwd(), "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
            "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0], "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
            "as": resource.getrlimit(resource.RLIMIT_AS)[0], "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0]}
    with open("/proc/net/dev") as f:
        info["interfaces"] = sorted(l.split(":")[0].strip() for l in f.readlines()[2:])
    try:
        open("/usr/lib/judge-was-here", "w")
        info["usr"] = "writable"
    except OSError as e:
        info["usr"] = e.strerror
    written = 0
    try:
        for i in range(40):
            with open("/tmp/fill%d" % i, "wb") as f:
                f.write(b"x" * 2**20)
            written += 1
    except OSError as e:
        info["tmpfs"] = e.strerror
    info["tmpfsMb"] = written
    try:
        os.fork()
        info["fork"] = "allowed"
    except OSError as e:
        info["fork"] = e.strerror
    return info
`,
    );
    expect(seen.uid).toBe(65534);
    expect(seen.gid).toBe(65534);
    expect(seen.env).toEqual(expect.arrayContaining(["PATH", "HOME", "LANG"]));
    for (const key of seen.env as string[]) expect(["PATH", "HOME", "LANG", "LC_CTYPE", "PWD"]).toContain(key);
    expect(seen.host).toBe("judge");
    expect(seen.interfaces).toEqual(["lo"]);
    expect(seen.usr).toMatch(/Read-only file system/);
    for (const hidden of ["work", "root", "home", "etc", "var", "opt"]) expect(seen.root).not.toContain(hidden);
    expect((seen.pids as string[]).length).toBeLessThanOrEqual(3); // its own pid namespace
    expect(seen.cwd).toBe("/tmp");
    expect(seen.nproc).toBe(2);
    expect(seen.nofile).toBe(64);
    expect(seen.fsize).toBe(4 * 1024 * 1024);
    expect(seen.as).toBe(128 * 1024 * 1024);
    expect(seen.cpu).toBeGreaterThan(1);
    expect(seen.tmpfs).toBe("No space left on device");
    expect(seen.tmpfsMb).toBeLessThanOrEqual(16); // 16 MB tmpfs
    expect(seen.fork).toBe("Resource temporarily unavailable");
  });

  it("JavaScript runs as the same unprivileged user with a V8 heap sized by the problem", async () => {
    const seen = await observe(
      "javascript",
      `const fs = require("fs");
function add(a, b) {
  const limits = fs.readFileSync("/proc/self/limits", "utf8");
  const limit = (name) => Number(limits.split("\\n").find((l) => l.startsWith(name)).slice(26).trim().split(/\\s+/)[0]);
  let spawned = 0;
  const cp = require("child_process");
  for (let i = 0; i < 5; i++) { const c = cp.spawn("/usr/bin/sleep", ["1"]); if (c.pid) spawned++; }
  return {
    uid: process.getuid(), env: Object.keys(process.env).sort(),
    heapMb: Math.round(require("v8").getHeapStatistics().heap_size_limit / 2 ** 20),
    nproc: limit("Max processes"), nofile: limit("Max open files"), spawned,
    etc: fs.existsSync("/etc/passwd"), project: fs.existsSync(${JSON.stringify(process.cwd())}),
  };
}`,
    );
    expect(seen.uid).toBe(65534);
    for (const key of seen.env as string[]) expect(["PATH", "HOME", "LANG", "PWD", "UV_THREADPOOL_SIZE"]).toContain(key);
    expect(seen.heapMb).toBeGreaterThanOrEqual(128);
    expect(seen.heapMb).toBeLessThan(256);
    expect(seen.nproc).toBe(7);
    expect(seen.nofile).toBe(64);
    expect(seen.spawned).toBeLessThanOrEqual(1);
    expect(seen.etc).toBe(false);
    expect(seen.project).toBe(false);
  });
});

describe("the run queue", () => {
  it("defaults to one run per core", () => {
    expect(judge.queue.concurrency).toBe(availableParallelism());
  });

  it("never runs more than its limit at once, first come first served", async () => {
    const queue = new RunQueue(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        queue.run(async () => {
          running++;
          peak = Math.max(peak, running);
          order.push(i);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("when bubblewrap cannot run", () => {
  const missing = "/nonexistent/bwrap";

  it("switches code execution off by default, with the reason", async () => {
    const off = await createJudge({ bank: fixtureBank(), bwrapPath: missing, env: {} });
    expect(off.available).toBe(false);
    expect(off.mode).toBe("off");
    expect(off.reason).toMatch(/bubblewrap not found/);
    const result = await off.judge("fixture-add", "python", ADD_PY);
    expect(result.verdict).toBe("rejected");
    expect(result.message).toMatch(/switched off/);
  });

  it("never falls back to unsandboxed execution in production, even when allowed", async () => {
    const logs: string[] = [];
    const off = await createJudge({
      bank: fixtureBank(),
      bwrapPath: missing,
      env: { NODE_ENV: "production", ALLOW_UNSANDBOXED_CODE_EXECUTION: "1" },
      log: (line) => logs.push(line),
    });
    expect(off.mode).toBe("off");
    expect(off.reason).toMatch(/ignored in production/);
    expect(logs.join("\n")).toMatch(/code execution is OFF/);
  });

  it("runs code unsandboxed only when ALLOW_UNSANDBOXED_CODE_EXECUTION is set, and says so", async () => {
    const before = tmpEntries();
    const logs: string[] = [];
    const risky = await createJudge({
      bank: fixtureBank(),
      bwrapPath: missing,
      env: { ALLOW_UNSANDBOXED_CODE_EXECUTION: "1" },
      log: (line) => logs.push(line),
    });
    expect(risky.mode).toBe("unsandboxed");
    expect(logs.join("\n")).toMatch(/WARNING.*WITHOUT a sandbox/);
    for (const [language, source] of [
      ["python", ADD_PY],
      ["javascript", ADD_JS],
    ] as const) {
      const result = await risky.judge("fixture-add", language, source);
      expect(result.verdict).toBe("accepted");
      expect(result.sandboxed).toBe(false);
    }
    const wrong = await risky.judge("fixture-add", "python", "def add(a, b):\n    raise ValueError('boom')\n");
    expect(wrong.verdict).toBe("runtime_error");
    expect(wrong.message).toMatch(/ValueError: boom/);
    expect(wrong.message).not.toMatch(/judge-|python_harness/);
    expect([...tmpEntries()].filter((name) => !before.has(name) && name.startsWith("judge-unsandboxed-"))).toEqual([]);
  });
});
