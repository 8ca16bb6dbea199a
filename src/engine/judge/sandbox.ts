/**
 * How a harness process is launched: inside bubblewrap (the default) or directly (`none`, only for the
 * explicitly allowed fallback and the bench baseline). Builds argv; spawning lives in run-harness.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import type { Interpreter } from "./interpreters.js";
import type { ProcessLimits } from "./limits.js";

/** The unprivileged user the sandbox runs as, inside and (when the judge is root) outside. */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
export const PRLIMIT = "/usr/bin/prlimit";

/** Options that appeared in later bubblewrap releases; used when the installed one has them. */
export interface BwrapFeatures {
  disableUserns: boolean;
  tmpfsSize: boolean;
}

export function detectBwrap(bwrapPath: string): BwrapFeatures | { error: string } {
  if (!existsSync(bwrapPath)) return { error: `bubblewrap not found at ${bwrapPath}` };
  const help = spawnSync(bwrapPath, ["--help"], { encoding: "utf8", timeout: 5_000 });
  if (help.error) return { error: `cannot run ${bwrapPath}: ${help.error.message}` };
  const text = `${help.stdout}${help.stderr}`;
  if (!text.includes("--unshare-all")) return { error: `${bwrapPath} --help does not look like bubblewrap` };
  return { disableUserns: text.includes("--disable-userns"), tmpfsSize: text.includes("--size") };
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Drop to this uid/gid before bwrap starts (only when the judge runs as root). */
  uid?: number;
  gid?: number;
  /** File content to write into fd 4 (bwrap copies it into the sandbox as the harness). */
  harnessFd?: Buffer;
  /** argv[0] and the harness path of the interpreter process (to find its pid and read its CPU time). */
  interpreterPath: string;
  harnessArg: string;
}

const BASE_ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };

function prlimitArgs(limits: ProcessLimits, withProcesses: boolean): string[] {
  return [
    PRLIMIT,
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.addressSpaceBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--nofile=${limits.openFiles}`,
    ...(withProcesses ? [`--nproc=${limits.processes}`] : []),
    "--core=0",
    "--",
  ];
}

/** /bin, /lib… are symlinks into /usr on merged-/usr systems and real directories elsewhere. */
function rootDirBinds(): string[] {
  const args: string[] = [];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

export interface BwrapOptions {
  bwrapPath: string;
  features: BwrapFeatures;
  tmpfsBytes: number;
  runningAsRoot: boolean;
}

/**
 * Nothing of the host but /usr (and the interpreter's own directory when it lives elsewhere) is visible,
 * read-only. No network, no environment, a fresh pid namespace whose teardown kills every process the
 * candidate started, a size-limited tmpfs as /tmp and working directory, and rlimits set by prlimit inside
 * the sandbox, so the process count is per sandbox and never shared with other runs.
 */
export function bwrapLaunch(interpreter: Interpreter, memoryMb: number, limits: ProcessLimits, options: BwrapOptions): LaunchSpec {
  const env: Record<string, string> = { ...BASE_ENV, HOME: "/tmp", ...interpreter.env };
  const args = [
    "--unshare-all",
    "--unshare-user",
    ...(options.features.disableUserns ? ["--disable-userns"] : []),
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    ...Object.entries(env).flatMap(([key, value]) => ["--setenv", key, value]),
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_GID),
    "--hostname",
    "judge",
    "--ro-bind",
    "/usr",
    "/usr",
    ...rootDirBinds(),
    ...(interpreter.extraBind ? ["--ro-bind", interpreter.extraBind, interpreter.extraBind] : []),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    ...(options.features.tmpfsSize ? ["--size", String(options.tmpfsBytes)] : []),
    "--tmpfs",
    "/tmp",
    "--ro-bind-data",
    "4",
    interpreter.sandboxHarnessPath,
    "--chdir",
    "/tmp",
    "--",
    ...prlimitArgs(limits, true),
    interpreter.path,
    ...interpreter.args(memoryMb),
    interpreter.sandboxHarnessPath,
  ];
  return {
    command: options.bwrapPath,
    args,
    // bwrap itself gets no secrets either: only what it needs to find its own libraries.
    env: { ...BASE_ENV },
    ...(options.runningAsRoot ? { uid: SANDBOX_UID, gid: SANDBOX_GID } : {}),
    harnessFd: interpreter.harnessSource,
    interpreterPath: interpreter.path,
    harnessArg: interpreter.sandboxHarnessPath,
  };
}

/**
 * No isolation beyond a cleared environment, a private working directory and rlimits (no process
 * limit: outside a user namespace it would count every process of the user). Only for the fallback
 * an operator explicitly allows, and for the bench's baseline.
 */
export function directLaunch(interpreter: Interpreter, memoryMb: number, limits: ProcessLimits, workDir: string): LaunchSpec {
  const usePrlimit = existsSync(PRLIMIT);
  return {
    command: usePrlimit ? PRLIMIT : interpreter.path,
    args: [
      ...(usePrlimit ? [...prlimitArgs(limits, false).slice(1), interpreter.path] : []),
      ...interpreter.args(memoryMb),
      interpreter.harnessFile,
    ],
    env: { ...BASE_ENV, HOME: workDir, ...interpreter.env },
    interpreterPath: interpreter.path,
    harnessArg: interpreter.harnessFile,
  };
}
