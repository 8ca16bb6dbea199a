/**
 * Descriptors this process would hand to a child without meaning to: every fd without close-on-exec.
 * Node opens its own with O_CLOEXEC, so these are the ones the bot inherited from whatever launched it
 * (a supervisor, a shell redirect, a leaked log file). bubblewrap does not close them, so each harness
 * closes the listed ones before the candidate's code starts (Python closes everything but its channels).
 */
import { readdirSync, readFileSync } from "node:fs";

const O_CLOEXEC = 0o2000000;

/** Fds above `lowest` that a child would inherit (read from /proc/self/fdinfo; [] where that is missing). */
export function inheritableFds(lowest: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc/self/fdinfo");
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd <= lowest) continue;
    try {
      const flags = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"))?.[1];
      if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) found.push(fd);
    } catch {
      // closed while we looked (e.g. the fd of the directory listing itself)
    }
  }
  return found;
}
