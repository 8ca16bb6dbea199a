/**
 * Start-up check that the sandbox really runs code and really isolates it: a probe per language reports
 * its uid, environment, network interfaces, whether /usr and / are writable, whether bwrap's init is
 * reachable through /proc/1, which descriptors it holds, and (Python, through ctypes) that the seccomp
 * filter answers ptrace and io_uring_setup with EPERM. The judge only turns code execution on when every
 * answer is as expected.
 */
import { existsSync } from "node:fs";
import { executeRun } from "./executor.js";
import { nodeInterpreter, pythonInterpreter, reachableByOthers, type Interpreter } from "./interpreters.js";
import { DEFAULT_LIMITS, type JudgeLimits } from "./limits.js";
import { payloadLine } from "./protocol.js";
import { inheritableFds } from "./inherited-fds.js";
import { degradedFeatures, detectBwrap, PRLIMIT, SANDBOX_UID, sandboxSeccomp, type BwrapFeatures } from "./sandbox.js";
import { ARCH_TABLES } from "./seccomp.js";
import type { Language } from "./types.js";

export interface LanguageCheck {
  ok: boolean;
  reason?: string;
}

export type SelfTestResult =
  | { ok: true; features: BwrapFeatures; degraded: string[]; languages: Record<Language, LanguageCheck>; interpreters: Partial<Record<Language, Interpreter>> }
  | { ok: false; reason: string; languages?: Record<Language, LanguageCheck> };

export interface SelfTestOptions {
  bwrapPath?: string;
  pythonPath?: string;
  nodePath?: string;
  limits?: JudgeLimits;
}

const PYTHON_PROBE = `
import os
def writable(path):
    try:
        open(path, "w")
        return True
    except OSError:
        return False
def denied(number, *args):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(number, *args) == -1 and ctypes.get_errno() == 1
def probe(numbers):
    info = {"uid": os.getuid(), "env": sorted(os.environ)}
    info["usrWritable"] = writable("/usr/.judge-probe")
    info["rootWritable"] = writable("/.judge-probe")
    info["initVisible"] = os.path.exists("/proc/1/mem")
    info["fds"] = sorted(int(fd) for fd in os.listdir("/proc/self/fd") if os.path.lexists("/proc/self/fd/" + fd))
    with open("/proc/net/dev") as f:
        info["interfaces"] = sorted(line.split(":")[0].strip() for line in f.readlines()[2:])
    info["seccomp"] = denied(numbers["ptrace"], 16, 1, 0, 0) and denied(numbers["io_uring_setup"], 1, 0)
    return info
`;

const JS_PROBE = `
function probe() {
  const fs = require("fs");
  const info = { uid: process.getuid(), env: Object.keys(process.env).sort() };
  const writable = (path) => { try { fs.writeFileSync(path, "x"); return true; } catch { return false; } };
  info.usrWritable = writable("/usr/.judge-probe");
  info.rootWritable = writable("/.judge-probe");
  info.initVisible = fs.existsSync("/proc/1/mem");
  info.fds = fs.readdirSync("/proc/self/fd").filter((fd) => fs.existsSync("/proc/self/fd/" + fd)).map(Number).filter((fd) => fd > 4);
  info.seccomp = true; // checked by the Python probe, which can make raw syscalls
  info.interfaces = fs.readFileSync("/proc/net/dev", "utf8").split("\\n").slice(2)
    .filter((line) => line.includes(":")).map((line) => line.split(":")[0].trim()).sort();
  return info;
}
`;

const ALLOWED_ENV = new Set(["PATH", "LANG", "HOME", "LC_CTYPE", "PWD", "UV_THREADPOOL_SIZE"]);

interface ProbeInfo {
  uid: number;
  env: string[];
  usrWritable: boolean;
  rootWritable: boolean;
  initVisible: boolean;
  /** Python: every fd; JavaScript: those above 4 (Node's own epoll/eventfd/pipes sit there too). */
  fds: number[];
  interfaces: string[];
  seccomp: boolean;
}

function checkProbe(value: unknown, language: Language, inherited: readonly number[]): string | undefined {
  const info = value as Partial<ProbeInfo> | null;
  if (!info || typeof info !== "object") return "the probe returned nothing";
  if (info.uid !== SANDBOX_UID) return `code runs as uid ${String(info.uid)}, expected ${SANDBOX_UID}`;
  const leakedEnv = (info.env ?? []).filter((key) => !ALLOWED_ENV.has(key));
  if (leakedEnv.length > 0) return `the environment is not cleared (${leakedEnv.join(", ")})`;
  if (info.usrWritable !== false) return "/usr is writable inside the sandbox";
  if (info.rootWritable !== false) return "the sandbox's root is writable (memory outside every limit)";
  if (info.initVisible !== false) return "bwrap's init is reachable through /proc/1";
  if (info.seccomp !== true) return "the seccomp filter is not active (ptrace or io_uring_setup did not fail with EPERM)";
  const interfaces = info.interfaces ?? [];
  if (interfaces.some((name) => name !== "lo")) return `the network is not isolated (interfaces: ${interfaces.join(", ")})`;
  const fds = info.fds ?? [];
  const leaked = language === "python" ? fds.filter((fd) => fd > 3) : fds.filter((fd) => inherited.includes(fd));
  if (leaked.length > 0) return `descriptors the judge did not give reach the code (${leaked.join(", ")})`;
  return undefined;
}

async function probeLanguage(interpreter: Interpreter, features: BwrapFeatures, bwrapPath: string, limits: JudgeLimits): Promise<LanguageCheck> {
  if (interpreter.extraBind && process.getuid?.() === 0 && !reachableByOthers(interpreter.path)) {
    return { ok: false, reason: `${interpreter.path} is not readable by the sandbox user; install it under /usr` };
  }
  const { outcome } = await executeRun(
    { isolation: "bwrap", bwrapPath, features, limits },
    {
      interpreter,
      kind: "function",
      entry: ["probe"],
      source: interpreter.language === "python" ? PYTHON_PROBE : JS_PROBE,
      payload: payloadLine(interpreter.language === "python" ? [[ARCH_TABLES[process.arch]?.numbers ?? {}]] : [[]]),
      testCount: 1,
      timeMs: 10_000,
      memoryMb: 256,
    },
  );
  const result = outcome.results[0];
  if (outcome.end !== "completed" || !result) {
    const detail = outcome.spawnError ?? outcome.stderrTail.trim().split("\n").slice(-3).join(" | ");
    return { ok: false, reason: `the sandbox did not run ${interpreter.language} (${outcome.end}${detail ? `: ${detail}` : ""})` };
  }
  if (!result.ok) return { ok: false, reason: `the ${interpreter.language} probe failed: ${result.error.message}` };
  const problem = checkProbe(result.value, interpreter.language, inheritableFds(5));
  return problem ? { ok: false, reason: problem } : { ok: true };
}

export async function selfTestSandbox(options: SelfTestOptions = {}): Promise<SelfTestResult> {
  const bwrapPath = options.bwrapPath ?? "/usr/bin/bwrap";
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (process.platform !== "linux") return { ok: false, reason: "the sandbox needs Linux with bubblewrap" };
  const features = detectBwrap(bwrapPath);
  if ("error" in features) return { ok: false, reason: features.error };
  if (!features.seccomp) return { ok: false, reason: `${bwrapPath} has no --seccomp option; update bubblewrap` };
  if (!sandboxSeccomp()) return { ok: false, reason: `no seccomp syscall table for ${process.arch} (supported: ${Object.keys(ARCH_TABLES).join(", ")})` };
  if (!existsSync(PRLIMIT)) return { ok: false, reason: `${PRLIMIT} (util-linux) is missing; it sets the rlimits inside the sandbox` };

  const interpreters: Partial<Record<Language, Interpreter>> = {};
  const languages = {} as Record<Language, LanguageCheck>;
  const attempts: Array<[Language, () => Interpreter]> = [
    ["python", () => pythonInterpreter(options.pythonPath)],
    ["javascript", () => nodeInterpreter(options.nodePath)],
  ];
  await Promise.all(
    attempts.map(async ([language, make]) => {
      let interpreter: Interpreter;
      try {
        interpreter = make();
      } catch (error) {
        languages[language] = { ok: false, reason: (error as Error).message };
        return;
      }
      languages[language] = await probeLanguage(interpreter, features, bwrapPath, limits);
      if (languages[language].ok) interpreters[language] = interpreter;
    }),
  );
  if (Object.keys(interpreters).length === 0) {
    const reasons = Object.entries(languages).map(([lang, check]) => `${lang}: ${check.reason}`);
    return { ok: false, reason: reasons.join("; "), languages };
  }
  return { ok: true, features, degraded: degradedFeatures(features), languages, interpreters };
}
