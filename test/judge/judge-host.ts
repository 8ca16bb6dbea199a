/** Host-side observations for the judge's tests: processes and files the sandbox must not leave behind. */
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";

/** Host pids whose command line contains `marker`, zombies excluded (they are already dead). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (!cmdline.includes(marker)) continue;
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      if (state !== "Z") found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Polls until no process carries the marker, or gives up after `ms`; returns the survivors. */
export async function survivorsAfter(marker: string, ms = 3_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function tmpEntries(): Set<string> {
  return new Set(readdirSync(tmpdir()));
}

export function randomMarker(): string {
  return String(Math.floor(100_000 + Math.random() * 899_999));
}

/** Every live (non-zombie) process below `pid`, breadth first: what a run could have left behind. */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      let children: number[] = [];
      try {
        children = readFileSync(`/proc/${parent}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        continue;
      }
      for (const child of children) {
        try {
          const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${child}/status`, "utf8"))?.[1];
          if (state !== "Z") found.push(child);
        } catch {
          // gone
        }
        queue.push(child);
      }
    }
  }
  return found;
}
