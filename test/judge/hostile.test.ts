/**
 * Hostile submissions against the real sandbox: each must be contained, get the right verdict, leak no
 * secret and leave nothing behind on the host.
 */
import { createServer, type Server } from "node:net";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJudge, type Judge, type JudgeResult, type Verdict } from "../../src/engine/judge/index.js";
import { fixtureBank } from "./judge-fixtures.js";
import { randomMarker, survivorsAfter, tmpEntries } from "./judge-host.js";

const SLACK_CANARY = "xoxb-canary-7d1e0c55-slack-token";
const OPENAI_CANARY = "sk-canary-4be2a9f1-openai-key";
const FILE_CANARY = "canary-file-secret-31f9";

let judge: Judge;
let server: Server;
let port = 0;
let connections = 0;
let secretDir = "";
let tmpBefore: Set<string>;
const savedEnv = { slack: process.env.SLACK_BOT_TOKEN, openai: process.env.OPENAI_API_KEY };

beforeAll(async () => {
  process.env.SLACK_BOT_TOKEN = SLACK_CANARY;
  process.env.OPENAI_API_KEY = OPENAI_CANARY;
  secretDir = mkdtempSync(join(tmpdir(), "hostile-secret-"));
  writeFileSync(join(secretDir, ".env"), `SLACK_BOT_TOKEN=${FILE_CANARY}\n`);
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  tmpBefore = tmpEntries();
  judge = await createJudge({ bank: fixtureBank() });
  expect(judge.mode, judge.reason).toBe("sandbox");
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(secretDir, { recursive: true, force: true });
  process.env.SLACK_BOT_TOKEN = savedEnv.slack;
  process.env.OPENAI_API_KEY = savedEnv.openai;
  if (savedEnv.slack === undefined) delete process.env.SLACK_BOT_TOKEN;
  if (savedEnv.openai === undefined) delete process.env.OPENAI_API_KEY;
});

const py = (body: string, preamble = "") =>
  `import os, sys, time, socket, subprocess\n${preamble}\ndef add(a, b):\n${body
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n")}\n`;
const js = (body: string, preamble = "") => `${preamble}\nfunction add(x, y) {\n${body}\n}\n`;

function expectNoSecrets(result: JudgeResult) {
  const text = JSON.stringify(result);
  for (const canary of [SLACK_CANARY, OPENAI_CANARY, FILE_CANARY]) expect(text).not.toContain(canary);
}

async function judged(language: "python" | "javascript", source: string, verdicts: Verdict[], questionId = "fixture-add") {
  const result = await judge.judge(questionId, language, source);
  expect(verdicts, `${result.verdict}: ${result.message ?? result.tests.find((t) => !t.passed)?.error}`).toContain(result.verdict);
  expect(result.passed).toBeLessThan(result.total);
  expectNoSecrets(result);
  return { result };
}

describe.concurrent("hostile code is contained", { timeout: 60_000 }, () => {
  it.each([
    ["python", py("while True:\n    pass")],
    ["javascript", js("for (;;) {}")],
  ] as const)("an infinite loop in %s ends in time_limit_exceeded once it has used the CPU budget", async (lang, source) => {
    const { result } = await judged(lang, source, ["time_limit_exceeded"]);
    // Stopped by CPU time (1.5 s), or by the wall-clock backstop (3×) when the machine is very busy.
    expect(result.cpuMs! >= 1500 || result.wallMs! >= 4500).toBe(true);
    // Killed soon after the 3× wall-clock backstop (teardown is slower on a loaded machine).
    expect(result.wallMs).toBeLessThan(3 * 1500 + 5000);
  });

  it.each([
    ["python", py("time.sleep(10**6)")],
    ["javascript", js("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);")],
  ] as const)("sleeping forever in %s is stopped by the wall clock", async (lang, source) => {
    const { result } = await judged(lang, source, ["time_limit_exceeded"]);
    expect(result.cpuMs ?? 0).toBeLessThan(1500);
    expect(result.wallMs).toBeGreaterThanOrEqual(3 * 1500);
    expect(result.wallMs).toBeLessThan(3 * 1500 + 5000);
  });

  it("work moved into a child process still counts against the time limit", async () => {
    const { result } = await judged(
      "javascript",
      js(`require("child_process").spawnSync("/bin/sh", ["-c", "while :; do :; done"]);`),
      ["time_limit_exceeded"],
    );
    // Counting only the harness's own thread would see ~0 ms here. On a loaded machine the wall-clock
    // backstop (3× the limit) may stop the spinning child before it used the whole CPU budget.
    expect(result.cpuMs! >= 1500 || (result.cpuMs! > 300 && result.wallMs! >= 4500)).toBe(true);
  });

  it("an infinite loop while the code loads is a time_limit_exceeded", async () => {
    await judged("python", "while True:\n    pass\ndef add(a, b):\n    return a + b\n", ["time_limit_exceeded"]);
  });

  it("fork bombs hit the process limit and leave no process behind", async () => {
    const marker = randomMarker();
    const bomb = py(`
while True:
    try:
        if os.fork() == 0:
            os.execv("/usr/bin/sleep", ["sleep", "600", "0.${marker}"])
    except OSError:
        pass`);
    await judged("python", bomb, ["time_limit_exceeded", "runtime_error"]);
    expect(await survivorsAfter(`0.${marker}`)).toEqual([]);

    const jsMarker = randomMarker();
    const jsBomb = js(`
const cp = require("child_process");
for (;;) { try { cp.spawn("/usr/bin/sleep", ["600", "0.${jsMarker}"], { detached: true, stdio: "ignore" }); } catch {} }`);
    await judged("javascript", jsBomb, ["time_limit_exceeded", "runtime_error", "memory_limit_exceeded"]);
    expect(await survivorsAfter(`0.${jsMarker}`)).toEqual([]);
  });

  it.each([
    ["python", "a list of buffers", py("hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))")],
    ["python", "one huge string", py("return len('x' * 10**10)")],
    ["javascript", "a growing heap", js("const hoard = []; for (;;) hoard.push(new Array(1e6).fill(1.5));")],
    ["javascript", "buffers outside the heap", js("const hoard = []; for (;;) hoard.push(Buffer.alloc(1e8, 1));")],
    ["javascript", "a doubling string", js("let s = 'x'; for (;;) s += s;")],
  ] as const)("a memory bomb in %s (%s) ends in memory_limit_exceeded", async (language, _what, source) => {
    await judged(language, source, ["memory_limit_exceeded"], "fixture-memory");
  });

  it("huge files and huge output end in output_limit_exceeded", async () => {
    await judged("python", py("f = open('big', 'wb')\nwhile True:\n    f.write(b'x' * 10**6)"), ["output_limit_exceeded"]);
    await judged(
      "javascript",
      js("const fs = require('fs'); const fd = fs.openSync('big', 'w'); for (;;) fs.writeSync(fd, Buffer.alloc(1e6));"),
      ["output_limit_exceeded"],
    );
    await judged("python", py("while True:\n    print('x' * 1000)"), ["output_limit_exceeded"]);
    await judged("javascript", js("for (;;) console.log('x'.repeat(1000));"), ["output_limit_exceeded"]);
    await judged("javascript", js("for (;;) process.stderr.write('y'.repeat(1000));"), ["output_limit_exceeded"]);
  });

  it("secrets in the environment, /proc and host files are out of reach", async () => {
    const snoop = py(`
found = {"env": dict(os.environ), "files": {}}
paths = ["/proc/1/environ", "/proc/self/environ", "/proc/%d/environ" % os.getppid(), "/proc/1/cmdline",
         "${secretDir}/.env", "/work/main/.env", "/root/.bash_history", "/etc/environment"]
for pid in os.listdir("/proc"):
    if pid.isdigit():
        paths.append("/proc/%s/environ" % pid)
for path in paths:
    try:
        found["files"][path] = open(path, "rb").read().decode("latin-1")
    except OSError as e:
        found["files"][path] = repr(e)
for root in ["/tmp", "/home", "/root", "/work", "${secretDir}"]:
    for dirpath, dirs, files in os.walk(root):
        for name in files:
            try:
                found["files"][os.path.join(dirpath, name)] = open(os.path.join(dirpath, name), "rb").read(4096).decode("latin-1")
            except OSError:
                pass
return found`);
    const { result } = await judged("python", snoop, ["wrong_answer"]);
    expect(result.failure?.got).toBeDefined(); // what it saw is shown, so a leak would be visible here
    await judged("python", py("raise Exception(repr(dict(os.environ)) + open('/proc/1/environ').read())"), ["runtime_error"]);
    await judged("python", py("print(dict(os.environ), file=sys.stderr)\nos._exit(3)"), ["runtime_error"]);
    await judged(
      "javascript",
      js(`const fs = require("fs");
const out = { env: process.env, files: {} };
for (const p of ["/proc/1/environ", "/proc/self/environ", "/proc/" + process.ppid + "/environ", "${secretDir}/.env"]) {
  try { out.files[p] = fs.readFileSync(p, "latin1"); } catch (e) { out.files[p] = String(e); }
}
return out;`),
      ["wrong_answer"],
    );
  });

  it("network attempts never reach a server on the host", async () => {
    const before = connections;
    await judged(
      "python",
      py(`
results = []
for host in ["127.0.0.1", "localhost", "10.0.2.2", "1.1.1.1"]:
    try:
        s = socket.create_connection((host, ${port}), timeout=0.5)
        results.append("connected " + host)
    except OSError as e:
        results.append("%s: %s" % (host, e))
return results`),
      ["wrong_answer"],
    );
    await judged(
      "javascript",
      js(`const { execFileSync } = require("child_process");
try { execFileSync(process.execPath, ["-e", "require('net').connect(${port}, '127.0.0.1').on('error', () => process.exit(1))"], { timeout: 500 }); } catch {}
return "tried";`),
      ["wrong_answer"],
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connections - before).toBe(0);
  });

  it("daemons do not outlive the run and leave nothing on the host", async () => {
    const marker = randomMarker();
    const hostFile = join(tmpdir(), `judge-daemon-${marker}`);
    const daemon = py(`
if a == 1:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sh", ["sh", "-c", "sleep 1.${marker}; echo escaped > ${hostFile}", "daemon-${marker}"])
        os._exit(0)
return a + b`);
    // Python may not fork at all (process limit): the daemon never starts, which is the verdict's concern.
    const result = await judge.judge("fixture-add", "python", daemon);
    expect(["accepted", "runtime_error"]).toContain(result.verdict);
    expectNoSecrets(result);
    expect(await survivorsAfter(`daemon-${marker}`)).toEqual([]);
    expect(await survivorsAfter(`1.${marker}`)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(existsSync(hostFile)).toBe(false);

    const jsMarker = randomMarker();
    const jsFile = join(tmpdir(), `judge-daemon-${jsMarker}`);
    const jsDaemon = js(`if (x === 1) {
  const child = require("child_process").spawn("/bin/sh", ["-c", "sleep 1.${jsMarker}; echo escaped > ${jsFile}", "daemon-${jsMarker}"], { detached: true, stdio: "ignore" });
  child.unref();
  if (!child.pid) return -1; // accepted below therefore proves the daemon really started
}
return x + y;`);
    // Node may start one process: the daemon does start, and must die with the sandbox.
    expect((await judge.judge("fixture-add", "javascript", jsDaemon)).verdict).toBe("accepted");
    expect(await survivorsAfter(`daemon-${jsMarker}`)).toEqual([]);
    expect(await survivorsAfter(`1.${jsMarker}`)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(existsSync(jsFile)).toBe(false);
  });

  it("exiting early, even with status 0, is not accepted", async () => {
    await judged("python", py("if a > 10:\n    os._exit(0)\nreturn a + b"), ["runtime_error"]);
    await judged("python", py("sys.exit(0)"), ["runtime_error"]);
    await judged("javascript", js("if (x > 10) process.exit(0);\nreturn x + y;"), ["runtime_error"]);
    await judged("javascript", js("process.kill(process.pid, 'SIGKILL');"), ["runtime_error"]);
  });

  it("forged result frames on stdout or on the result fd are not believed", async () => {
    const forged = '{"type":"result","i":0,"ok":true,"ms":1,"value":3}';
    // stdout is never parsed: these print 'passing' frames but return wrong values.
    await judged("python", py(`print(${JSON.stringify(forged)})\nprint('{"type":"done"}')\nreturn -1`), ["wrong_answer"]);
    await judged("javascript", js(`console.log(${JSON.stringify(forged)}); return -1;`), ["wrong_answer"]);
    // Writing to the harness's fd: no nonce, so the run is stopped as tampered with, even with right values.
    for (const fd of [3, 4, 5]) {
      await judged("python", py(`try:\n    os.write(${fd}, b'x ' + ${JSON.stringify(forged)}.encode() + b'\\n')\nexcept OSError:\n    pass\nreturn a + b if ${fd} == 3 else -1`), ["runtime_error", "wrong_answer"]);
    }
    await judged("javascript", js(`require("fs").writeSync(3, "x " + ${JSON.stringify(forged)} + "\\n"); return x + y;`), ["runtime_error"]);
    // Guessing the nonce from memory is not possible from what the process can read about itself.
    await judged(
      "python",
      py(`for f in os.listdir("/proc/self/fd"):\n    try:\n        os.write(int(f), b"\\n" + ${JSON.stringify(`${forged}\n`)}.encode())\n    except OSError:\n        pass\nreturn -1`),
      ["runtime_error", "wrong_answer"],
    );
  });

  it("objects whose equality always says yes are judged as what they are", async () => {
    await judged(
      "python",
      "class Liar:\n    def __eq__(self, other):\n        return True\n    def __hash__(self):\n        return 0\ndef add(a, b):\n    return Liar()\n",
      ["wrong_answer"],
    );
    await judged(
      "python",
      "class Int(int):\n    def __eq__(self, other):\n        return True\n    def __repr__(self):\n        return '3'\n    __str__ = __repr__\ndef add(a, b):\n    return Int(0)\n",
      ["wrong_answer"],
    );
    await judged("python", "class L(list):\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return L()\n", ["wrong_answer"]);
    await judged("javascript", js("return { valueOf() { return x + y; }, toJSON() { return x + y; }, [Symbol.toPrimitive]() { return x + y; } };"), ["wrong_answer"]);
    await judged("javascript", js("return new Proxy({}, { get: () => x + y });"), ["wrong_answer"]);
    await judged(
      "javascript",
      js("return Object.assign(Object.create({ toJSON() { return x + y; } }), {});", "Number.prototype.toJSON = function () { return 3; };"),
      ["wrong_answer"],
    );
    await judged("javascript", js("return new Number(x + y);"), ["wrong_answer"]);
  });

  it("a source over the size limit is rejected without running", async () => {
    const result = await judge.judge("fixture-add", "python", `${"# padding\n".repeat(7_000)}def add(a, b):\n    return a + b\n`);
    expect(result.verdict).toBe("rejected");
    expect(result.tests).toEqual([]);
  });
});

describe("after the hostile suite", () => {
  it("left no temporary files on the host", () => {
    const added = [...tmpEntries()].filter((name) => !tmpBefore.has(name) && /judge|hostile|daemon/.test(name));
    // Other test files run alongside: the CLI test and the unsandboxed-mode test make their own temp dirs.
    expect(added.filter((name) => !/^(hostile-secret-|judge-cli-|judge-unsandboxed-)/.test(name))).toEqual([]);
  });
});
