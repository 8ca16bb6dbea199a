/**
 * CPU time of the candidate's code as the kernel counts it (/proc), so the time limit measures the
 * candidate's work and not how busy the machine is. Read from outside the sandbox: the candidate
 * cannot influence it. Linux only; callers fall back to the wall clock when this returns undefined.
 */
import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ, the unit of times in /proc; 100 on every Linux architecture Node supports. */
const MS_PER_TICK = 1000 / 100;

export function childrenOf(pid: number): number[] {
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

/** Fields of a stat line after "pid (comm) ": index 0 is field 3 (state) of proc(5). */
function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

interface Times {
  /** utime + stime: all threads of a process, or one thread for a task. */
  own: number;
  /** cutime + cstime: children this process has waited for. */
  reaped: number;
  ppid: number;
}

function times(path: string): Times | undefined {
  const f = statFields(path);
  if (!f) return undefined;
  const own = (Number(f[11]) + Number(f[12])) * MS_PER_TICK;
  const reaped = (Number(f[13]) + Number(f[14])) * MS_PER_TICK;
  return Number.isFinite(own) && Number.isFinite(reaped) ? { own, reaped, ppid: Number(f[1]) } : undefined;
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
 * Measures what the candidate's code costs from now on: the harness process minus the interpreter's
 * own helper threads that already exist (V8's GC workers would otherwise charge JavaScript 20–30 %
 * extra for allocation-heavy code), plus every thread it starts later (workers) and every other
 * process in the sandbox (children, orphans), alive or reaped. So work moved to a thread or a child
 * process still counts. Returns undefined when /proc cannot be read.
 */
export function startCpuMeter(harnessPid: number, rootPid: number): (() => number | undefined) | undefined {
  let helpers: number[];
  try {
    helpers = readdirSync(`/proc/${harnessPid}/task`)
      .map(Number)
      .filter((tid) => tid !== harnessPid);
  } catch {
    return undefined;
  }
  const first = times(`/proc/${harnessPid}/stat`);
  if (!first) return undefined;
  // In the sandbox the harness's parent is bwrap's init, which adopts orphans; unsandboxed there is none.
  const initPid = harnessPid !== rootPid ? first.ppid : undefined;

  const total = (): number | undefined => {
    const harness = times(`/proc/${harnessPid}/stat`);
    if (!harness) return undefined;
    let sum = harness.own + harness.reaped;
    for (const tid of helpers) sum -= times(`/proc/${harnessPid}/task/${tid}/stat`)?.own ?? 0;
    const others = [...childrenOf(harnessPid), ...(initPid !== undefined ? childrenOf(initPid).filter((p) => p !== harnessPid) : [])];
    for (let i = 0; i < others.length && i < 256; i++) {
      const pid = others[i] as number;
      const t = times(`/proc/${pid}/stat`);
      if (!t) continue;
      sum += t.own + t.reaped;
      others.push(...childrenOf(pid));
    }
    return sum;
  };

  const start = total();
  if (start === undefined) return undefined;
  return () => {
    const now = total();
    return now === undefined ? undefined : Math.max(0, now - start);
  };
}
