/**
 * Drives one harness process through the protocol (protocol.ts) and reports what happened, without
 * judging it: the wall clock, the kill on timeout or excess output, the result frames, the exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Readable, Writable } from "node:stream";
import type { JudgeLimits } from "./limits.js";
import { inheritableFds } from "./inherited-fds.js";
import { childrenOf, findHarnessPid, startCpuMeter } from "./proc-cpu.js";
import { FrameReader, headerLine, type Frame, type HarnessError, type HarnessHeader } from "./protocol.js";
import type { LaunchSpec } from "./sandbox.js";

export type ResultFrame = Extract<Frame, { type: "result" }>;

export type RunEnd =
  | "completed"
  | "compile_error"
  | "missing_entry"
  | "load_error"
  | "startup_timeout"
  | "timeout"
  | "output_limit"
  | "result_too_large"
  | "result_too_deep"
  | "tampered"
  | "exited"
  | "spawn_failed";

export interface RunOutcome {
  end: RunEnd;
  compileError?: string;
  loadError?: HarnessError;
  missingEntry?: string;
  /** In test order; shorter than the test count when the run stopped early. */
  results: ResultFrame[];
  violation?: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Last bytes of the candidate's stderr (crash messages), for the trimmed error shown to the user. */
  stderrTail: string;
  outputBytes: number;
  startupMs?: number;
  /** From `ready` to the last result (or to the kill). */
  wallMs?: number;
  /** CPU time of the candidate's code over the same span (proc-cpu.ts), when /proc could be read. */
  cpuMs?: number;
  spawnError?: string;
}

export interface RunRequest {
  launch: LaunchSpec;
  cwd: string;
  header: HarnessHeader;
  /** The payload line (all tests' args). */
  payload: string;
  testCount: number;
  timeMs: number;
  limits: JudgeLimits;
}

type KillReason = "startup_timeout" | "timeout" | "output_limit" | "tampered" | "exit_grace" | "resource_exhausted";

const STDERR_TAIL_BYTES = 8 * 1024;
const CPU_POLL_MS = 25;
const STARTUP_CAP_EXTRA_MS = 30_000;

export function runHarness(request: RunRequest): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const { launch, limits } = request;
    const results: ResultFrame[] = [];
    const reader = new FrameReader(request.header.nonce, { maxFrameBytes: limits.maxFrameBytes, maxValueDepth: limits.maxResultDepth });
    const timers = new Set<NodeJS.Timeout>();
    const startedAt = performance.now();
    let readyAt: number | undefined;
    let lastResultAt: number | undefined;
    let stoppedAt: number | undefined;
    let killReason: KillReason | undefined;
    let compileError: string | undefined;
    let loadError: HarnessError | undefined;
    let missingEntry: string | undefined;
    let spawnError: string | undefined;
    let stderrTail = Buffer.alloc(0);
    let outputBytes = 0;
    let resultBytes = 0;
    let settled = false;

    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
      return timer;
    };
    const cancel = (timer: NodeJS.Timeout | undefined) => {
      if (timer) {
        clearTimeout(timer);
        timers.delete(timer);
      }
    };

    /** fds 0-5 are replaced by the pipes below; any other inheritable one is closed by the harness. */
    const closeFds = inheritableFds(5);
    let child: ChildProcess;
    try {
      child = spawn(launch.command, launch.args, {
        cwd: request.cwd,
        env: launch.env,
        // Own process group: a timeout kills bwrap, whose pid-namespace teardown takes every process inside.
        detached: true,
        stdio: ["pipe", "pipe", "pipe", "pipe", launch.harnessFd ? "pipe" : "ignore", launch.seccompFd ? "pipe" : "ignore"],
        ...(launch.uid !== undefined ? { uid: launch.uid, gid: launch.gid } : {}),
      });
    } catch (error) {
      resolve(emptyOutcome("spawn_failed", (error as Error).message));
      return;
    }

    let cpuMeter: (() => number | undefined) | undefined;
    let cpuUsed = 0;
    const runTimers: NodeJS.Timeout[] = [];
    const intervals = new Set<NodeJS.Timeout>();
    const sampleCpu = () => {
      const cpu = cpuMeter?.();
      if (cpu !== undefined) cpuUsed = Math.max(cpuUsed, cpu);
    };

    const kill = (reason: KillReason) => {
      if (killReason === undefined && readyAt !== undefined) sampleCpu();
      killReason ??= reason;
      stoppedAt ??= performance.now();
      if (child.pid === undefined) return;
      // The pid namespace's init first (bwrap's child): the kernel then kills everything inside, whatever
      // the candidate did to its own die-with-parent signal. Then bwrap itself.
      for (const pid of [...childrenOf(child.pid), -child.pid]) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    };

    const stdin = child.stdin as Writable;
    const frames = child.stdio[3] as Readable;
    const harnessFd = child.stdio[4] as Writable | null;
    const seccompFd = (child.stdio as unknown as Array<Writable | null>)[5] ?? null;
    stdin.on("error", () => {});
    harnessFd?.on("error", () => {});
    seccompFd?.on("error", () => {});
    /**
     * A deadline is checked only after pending I/O has been read (setImmediate runs after the poll
     * phase): if the judge's own event loop was busy, frames that arrived in time must count as in time.
     */
    const deadline = (ms: number, expired: () => boolean, reason: KillReason) =>
      later(ms, () =>
        setImmediate(() => {
          if (!settled && expired()) kill(reason);
        }),
      );
    const notReady = () => readyAt === undefined;
    const unfinished = () => results.length < request.testCount;

    // The startup budget runs once the input is fully handed over (a busy judge may take a while to
    // write a few MB); a generous cap covers a harness that never reads it.
    let startupTimer: NodeJS.Timeout | undefined;
    const startupCap = deadline(limits.startupMs + STARTUP_CAP_EXTRA_MS, notReady, "startup_timeout");
    if (launch.harnessFd && harnessFd) harnessFd.end(launch.harnessFd);
    if (launch.seccompFd && seccompFd) seccompFd.end(launch.seccompFd);
    stdin.write(headerLine({ ...request.header, closeFds }));
    stdin.end(request.payload, () => {
      if (notReady() && !settled) startupTimer = deadline(limits.startupMs, notReady, "startup_timeout");
    });

    /**
     * The time limit is CPU time of the candidate's code (proc-cpu.ts), read every few ms, so a loaded
     * machine does not turn a correct solution into a time-out. The wall clock still stops anything that
     * waits instead of computing (sleep, blocked reads) at `wallFactor` times the limit. Without /proc
     * the wall clock alone enforces the limit.
     */
    const startRunClock = () => {
      const harnessPid = child.pid !== undefined ? findHarnessPid(child.pid, launch.interpreterPath, launch.harnessArg) : undefined;
      cpuMeter = harnessPid !== undefined && child.pid !== undefined ? startCpuMeter(harnessPid, child.pid) : undefined;
      if (!cpuMeter) {
        runTimers.push(deadline(request.timeMs, unfinished, "timeout"));
        return;
      }
      runTimers.push(deadline(request.timeMs * limits.wallFactor, unfinished, "timeout"));
      const poll = setInterval(() => {
        sampleCpu();
        if (cpuUsed > request.timeMs) setImmediate(() => !settled && unfinished() && kill("timeout"));
      }, CPU_POLL_MS);
      intervals.add(poll);
    };

    const onFrame = (frame: Frame) => {
      switch (frame.type) {
        case "ready":
          if (readyAt !== undefined) return void (reader.tampered("the harness announced ready twice"));
          cancel(startupTimer);
          cancel(startupCap);
          readyAt = performance.now();
          startRunClock();
          return;
        case "compile_error":
          compileError = frame.message;
          return;
        case "missing_entry":
          missingEntry = frame.name;
          return;
        case "load_error":
          loadError = frame.error;
          return;
        case "result":
          if (readyAt === undefined || frame.i !== results.length || results.length >= request.testCount) {
            reader.tampered("a result frame arrived out of order");
            return;
          }
          results.push(frame);
          lastResultAt = performance.now();
          // Out of memory or disk: the verdict is decided, and the next tests would only hit the wall again.
          if (!frame.ok && (frame.error.kind === "memory" || frame.error.kind === "output") && results.length < request.testCount) {
            kill("resource_exhausted");
            return;
          }
          if (results.length === request.testCount) {
            sampleCpu();
            for (const timer of runTimers) cancel(timer);
            for (const poll of intervals) clearInterval(poll);
            intervals.clear();
            later(limits.exitGraceMs, () => kill("exit_grace"));
          }
          return;
        case "done":
          if (results.length !== request.testCount) reader.tampered("the harness finished before all tests ran");
          return;
      }
    };

    frames.on("data", (chunk: Buffer) => {
      if (reader.breach || killReason === "output_limit") return;
      resultBytes += chunk.length;
      if (resultBytes > limits.maxResultBytes) return kill("output_limit");
      for (const frame of reader.push(chunk)) {
        onFrame(frame);
        if (reader.breach) break;
      }
      if (reader.breach) kill("tampered");
    });
    const onOutput = (isStderr: boolean) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (isStderr) {
        stderrTail = Buffer.concat([stderrTail, chunk]);
        if (stderrTail.length > STDERR_TAIL_BYTES) stderrTail = stderrTail.subarray(stderrTail.length - STDERR_TAIL_BYTES);
      }
      if (outputBytes > limits.maxOutputBytes) kill("output_limit");
    };
    child.stdout?.on("data", onOutput(false));
    child.stderr?.on("data", onOutput(true));

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const poll of intervals) clearInterval(poll);
      intervals.clear();
      // A frame cut off because the run was stopped for its volume is not a forgery.
      if (killReason !== "output_limit") reader.finish();
      const violation = reader.violation;
      let end: RunEnd;
      if (spawnError) end = "spawn_failed";
      else if (reader.breach === "frame_too_large") end = "result_too_large";
      else if (reader.breach === "frame_too_deep") end = "result_too_deep";
      else if (violation) end = "tampered";
      else if (compileError !== undefined) end = "compile_error";
      else if (missingEntry !== undefined) end = "missing_entry";
      else if (loadError) end = "load_error";
      else if (results.length === request.testCount && readyAt !== undefined) end = "completed";
      else if (killReason === "startup_timeout") end = "startup_timeout";
      else if (killReason === "timeout") end = "timeout";
      else if (killReason === "output_limit") end = "output_limit";
      else end = "exited";
      const endAt = lastResultAt !== undefined && end === "completed" ? lastResultAt : stoppedAt ?? performance.now();
      resolve({
        end,
        compileError,
        loadError,
        missingEntry,
        results,
        violation,
        exitCode,
        signal,
        stderrTail: stderrTail.toString("utf8"),
        outputBytes,
        startupMs: readyAt !== undefined ? readyAt - startedAt : undefined,
        cpuMs: cpuMeter ? cpuUsed : undefined,
        wallMs: readyAt !== undefined ? endAt - readyAt : undefined,
        spawnError,
      });
    };

    child.on("error", (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    let exitInfo: [number | null, NodeJS.Signals | null] | undefined;
    child.on("exit", (code, signal) => {
      exitInfo = [code, signal];
      // Everything inside the sandbox dies with it; make sure of it, then give the pipes a moment to drain.
      kill(killReason ?? "exit_grace");
      later(1_000, () => {
        for (const stream of [child.stdout, child.stderr, frames]) stream?.destroy();
        finish(code, signal);
      });
    });
    child.on("close", (code, signal) => finish(exitInfo?.[0] ?? code, exitInfo?.[1] ?? signal));
  });
}

function emptyOutcome(end: RunEnd, spawnError: string): RunOutcome {
  return { end, results: [], exitCode: null, signal: null, stderrTail: "", outputBytes: 0, spawnError };
}
