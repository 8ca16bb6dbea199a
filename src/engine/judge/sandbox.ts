/**
 * How a harness process is launched: inside bubblewrap (the default) or directly (`none`, only for the
 * explicitly allowed fallback and the bench baseline). Builds argv; spawning lives in run-harness.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import type { Interpreter } from "./interpreters.js";
import type { ProcessLimits } from "./limits.js";
import { seccompProgram } from "./seccomp.js";

/** The unprivileged user the sandbox runs as, inside and (when the judge is root) outside. */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
export const PRLIMIT = "/usr/bin/prlimit";

/** Options that appeared in later bubblewrap releases; used when the installed one has them. */
export interface BwrapFeatures {
  disableUserns: boolean;
  /** `--size` (0.7+): without it no tmpfs can be capped, so the sandbox gets no writable directory at all. */
  tmpfsSize: boolean;
  /** `--seccomp FD`; required (the self-test fails without it). */
  seccomp: boolean;
  /** `--perms` (0.5+), for the empty read-only directory laid over /proc/1. */
  perms: boolean;
}

export function detectBwrap(bwrapPath: string): BwrapFeatures | { error: string } {
  if (!existsSync(bwrapPath)) return { error: `bubblewrap not found at ${bwrapPath}` };
  const help = spawnSync(bwrapPath, ["--help"], { encoding: "utf8", timeout: 5_000 });
  if (help.error) return { error: `cannot run ${bwrapPath}: ${help.error.message}` };
  const text = `${help.stdout}${help.stderr}`;
  if (!text.includes("--unshare-all")) return { error: `${bwrapPath} --help does not look like bubblewrap` };
  return {
    disableUserns: text.includes("--disable-userns"),
    tmpfsSize: text.includes("--size"),
    seccomp: text.includes("--seccomp"),
    perms: text.includes("--perms"),
  };
}

/** What a bubblewrap without some options gives up, for the start-up log. */
export function degradedFeatures(features: BwrapFeatures): string[] {
  const notes: string[] = [];
  if (!features.tmpfsSize) notes.push("bwrap has no --size: the sandbox gets no writable /tmp (an uncapped tmpfs would pin host memory)");
  if (!features.disableUserns) notes.push("bwrap has no --disable-userns: nested user namespaces rely on the seccomp filter (unshare, clone flags) alone");
  if (!features.perms) notes.push("bwrap has no --perms: /proc/1 is hidden by a default-mode empty tmpfs");
  return notes;
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
  /** The compiled seccomp filter to write into fd 5 (bwrap loads it just before the interpreter starts). */
  seccompFd?: Buffer;
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
    // POSIX message queues are kernel memory outside RLIMIT_AS; nothing needs them.
    "--msgqueue=0",
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
  /** The compiled filter (seccomp.ts); undefined only on an architecture without a syscall table. */
  seccomp: Buffer | undefined;
  tmpfsBytes: number;
  runningAsRoot: boolean;
}

/**
 * Nothing of the host but /usr (and the interpreter's own directory when it lives elsewhere) is visible,
 * read-only. No network, no environment, a fresh pid namespace whose teardown kills every process the
 * candidate started, and rlimits set by prlimit inside the sandbox, so the process count is per sandbox.
 *
 * Memory the candidate can pin outside RLIMIT_AS is bounded by configuration (docs/code-judge.md):
 * the root tmpfs, /dev (with /dev/shm) and /judge are remounted read-only once set up; the only writable
 * place is /tmp, a tmpfs of `tmpfsBytes`; memfd and System V IPC are refused by the seccomp filter.
 *
 * bwrap's init (pid 1) runs as the same uid as the candidate, so anything same-uid could reach it through
 * /proc/1 (mem, and friends: no syscall filter sees a plain open()). /proc/1 is covered by an empty
 * read-only tmpfs, ptrace-like syscalls are refused by seccomp, and signals to a namespace's init from
 * inside are ignored by the kernel, so init can be neither altered nor killed early.
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
    ...(options.features.tmpfsSize ? ["--size", "4096"] : []),
    ...(options.features.perms ? ["--perms", "0555"] : []),
    "--tmpfs",
    "/proc/1",
    "--dev",
    "/dev",
    ...(options.features.tmpfsSize ? ["--size", String(options.tmpfsBytes), "--tmpfs", "/tmp"] : []),
    "--ro-bind-data",
    "4",
    interpreter.sandboxHarnessPath,
    "--remount-ro",
    "/proc/1",
    "--remount-ro",
    "/dev",
    "--remount-ro",
    "/",
    ...(options.seccomp ? ["--seccomp", "5"] : []),
    "--chdir",
    options.features.tmpfsSize ? "/tmp" : "/",
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
    ...(options.seccomp ? { seccompFd: options.seccomp } : {}),
    interpreterPath: interpreter.path,
    harnessArg: interpreter.sandboxHarnessPath,
  };
}

/** Built once: the filter depends only on the architecture. */
let cachedFilter: Buffer | undefined | null = null;
export function sandboxSeccomp(): Buffer | undefined {
  if (cachedFilter === null) cachedFilter = seccompProgram();
  return cachedFilter;
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
