/**
 * CPU time of the harness process as the kernel counts it (/proc), so the time limit measures the
 * candidate's work and not how busy the machine is. Read from outside the sandbox: the candidate
 * cannot influence it. Linux only; callers fall back to the wall clock when this returns undefined.
 */
import { readFileSync } from "node:fs";

/** USER_HZ, the unit of utime/stime in /proc; 100 on every Linux architecture Node supports. */
const TICKS_PER_SECOND = 100;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function argv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/**
 * The first process, breadth first from `rootPid` (bwrap → sandbox init → interpreter, or the
 * interpreter itself when unsandboxed), that is the interpreter running the harness. bwrap's own
 * command line mentions both too, but not as argv[0]; forks of the harness sit deeper.
 */
export function findHarnessPid(rootPid: number, interpreterPath: string, harnessArg: string, maxDepth = 4): number | undefined {
  let level = [rootPid];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    for (const pid of level) {
      const args = argv(pid);
      if (args[0] === interpreterPath && args.includes(harnessArg)) return pid;
    }
    level = level.flatMap(childrenOf);
  }
  return undefined;
}

/**
 * CPU time (user + system) of the process's main thread in ms: where the candidate's code runs.
 * V8's helper threads (parallel GC) are left out so JavaScript is not charged for them.
 */
export function mainThreadCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
