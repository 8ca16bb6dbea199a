/**
 * Start-up check that the sandbox really runs code and really isolates it: a probe per language reports
 * its uid, environment, network interfaces and whether /usr is writable, and the judge only turns code
 * execution on when every answer is as expected.
 */
import { existsSync } from "node:fs";
import { executeRun } from "./executor.js";
import { nodeInterpreter, pythonInterpreter, reachableByOthers, type Interpreter } from "./interpreters.js";
import { DEFAULT_LIMITS, type JudgeLimits } from "./limits.js";
import { payloadLine } from "./protocol.js";
import { detectBwrap, PRLIMIT, SANDBOX_UID, type BwrapFeatures } from "./sandbox.js";
import type { Language } from "./types.js";

export interface LanguageCheck {
  ok: boolean;
  reason?: string;
}

export type SelfTestResult =
  | { ok: true; features: BwrapFeatures; languages: Record<Language, LanguageCheck>; interpreters: Partial<Record<Language, Interpreter>> }
  | { ok: false; reason: string; languages?: Record<Language, LanguageCheck> };

export interface SelfTestOptions {
  bwrapPath?: string;
  pythonPath?: string;
  nodePath?: string;
  limits?: JudgeLimits;
}

const PYTHON_PROBE = `
import os
def probe():
    info = {"uid": os.getuid(), "env": sorted(os.environ)}
    try:
        open("/usr/.judge-probe", "w")
        info["usrWritable"] = True
    except OSError:
        info["usrWritable"] = False
    with open("/proc/net/dev") as f:
        info["interfaces"] = sorted(line.split(":")[0].strip() for line in f.readlines()[2:])
    return info
`;

const JS_PROBE = `
function probe() {
  const fs = require("fs");
  const info = { uid: process.getuid(), env: Object.keys(process.env).sort() };
  try { fs.writeFileSync("/usr/.judge-probe", "x"); info.usrWritable = true; } catch { info.usrWritable = false; }
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
  interfaces: string[];
}

function checkProbe(value: unknown): string | undefined {
  const info = value as Partial<ProbeInfo> | null;
  if (!info || typeof info !== "object") return "the probe returned nothing";
  if (info.uid !== SANDBOX_UID) return `code runs as uid ${String(info.uid)}, expected ${SANDBOX_UID}`;
  const leaked = (info.env ?? []).filter((key) => !ALLOWED_ENV.has(key));
  if (leaked.length > 0) return `the environment is not cleared (${leaked.join(", ")})`;
  if (info.usrWritable !== false) return "/usr is writable inside the sandbox";
  const interfaces = info.interfaces ?? [];
  if (interfaces.some((name) => name !== "lo")) return `the network is not isolated (interfaces: ${interfaces.join(", ")})`;
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
      payload: payloadLine([[]]),
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
  const problem = checkProbe(result.value);
  return problem ? { ok: false, reason: problem } : { ok: true };
}

export async function selfTestSandbox(options: SelfTestOptions = {}): Promise<SelfTestResult> {
  const bwrapPath = options.bwrapPath ?? "/usr/bin/bwrap";
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (process.platform !== "linux") return { ok: false, reason: "the sandbox needs Linux with bubblewrap" };
  const features = detectBwrap(bwrapPath);
  if ("error" in features) return { ok: false, reason: features.error };
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
  return { ok: true, features, languages, interpreters };
}
