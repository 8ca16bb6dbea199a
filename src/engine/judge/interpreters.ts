import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Language } from "./types.js";

/** How to start one language's harness: the interpreter, its flags, and the harness source. */
export interface Interpreter {
  language: Language;
  /** Absolute, symlinks resolved. */
  path: string;
  /** Directory to bind read-only into the sandbox when the interpreter lives outside /usr. */
  extraBind?: string;
  harnessFile: string;
  /** Harness path inside the sandbox (the file arrives there through a data fd). */
  sandboxHarnessPath: string;
  harnessSource: Buffer;
  /** Interpreter arguments before the harness path, given the memory budget. */
  args(memoryMb: number): string[];
  /** Extra environment (the sandbox clears everything else). */
  env: Record<string, string>;
}

const harnessDir = fileURLToPath(new URL("./harness/", import.meta.url));

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A directory the interpreter needs besides /usr, or undefined when /usr already covers it. */
function installDir(realPath: string, levelsUp: number): string | undefined {
  if (realPath.startsWith("/usr/")) return undefined;
  let dir = realPath;
  for (let i = 0; i < levelsUp; i++) dir = dirname(dir);
  return dir;
}

/** Prefers the system python (/usr/bin/python3): it needs no bind outside /usr. */
export function pythonInterpreter(pythonPath?: string): Interpreter {
  const chosen = pythonPath ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : onPath("python3"));
  if (!chosen) throw new Error("python3 not found");
  const path = realpathSync(chosen);
  const harnessFile = join(harnessDir, "python_harness.py");
  return {
    language: "python",
    path,
    extraBind: installDir(path, 2),
    harnessFile,
    sandboxHarnessPath: "/judge/harness.py",
    harnessSource: readFileSync(harnessFile),
    // -I: ignore PYTHON* env and user site; -S: no site (faster start); -B: write no bytecode.
    args: () => ["-I", "-S", "-B"],
    env: {},
  };
}

/** The node running the judge, unless told otherwise (`process.execPath`). */
export function nodeInterpreter(nodePath?: string): Interpreter {
  const path = realpathSync(nodePath ?? process.execPath);
  const harnessFile = join(harnessDir, "javascript_harness.cjs");
  return {
    language: "javascript",
    path,
    extraBind: installDir(path, 1),
    harnessFile,
    sandboxHarnessPath: "/judge/harness.cjs",
    harnessSource: readFileSync(harnessFile),
    args: (memoryMb) => [`--max-old-space-size=${memoryMb}`, "--v8-pool-size=2", "--no-warnings"],
    env: { UV_THREADPOOL_SIZE: "2" },
  };
}

/** True when every directory on the way is searchable by "others" (the sandbox runs as nobody). */
export function reachableByOthers(path: string): boolean {
  let current = path;
  for (;;) {
    try {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
