/**
 * The wire protocol between the judge and a harness (src/engine/judge/harness/*).
 *
 *   judge → stdin   line 1: header {nonce, kind, entry, source}
 *                   line 2: {tests: [args, ...]}
 *   harness → fd 3  `ready` once both lines are parsed and stdin is closed, before the candidate's code
 *                   loads: the time limit runs from here, so loading counts and input parsing does not
 *   harness → fd 3  compile_error | load_error | missing_entry, or one `result` per test in order, then `done`
 *
 * Each frame is "<nonce> <json>\n" on a dedicated fd; the candidate's stdout/stderr are never parsed.
 * The nonce is random per run and travels on stdin only. A line without it, out of order or malformed
 * marks the run as tampered with. Even a perfect forgery could only carry values, which are compared in
 * TypeScript against expectations that never enter the sandbox.
 */
import { randomBytes } from "node:crypto";

export type HarnessKind = "function" | "mapreduce";

export interface HarnessHeader {
  nonce: string;
  kind: HarnessKind;
  entry: string[];
  source: string;
  /** Inherited descriptors the harness must close before the candidate's code starts (inherited-fds.ts). */
  closeFds?: number[];
}

export type ErrorKind = "exception" | "memory" | "output" | "unsupported";

export interface HarnessError {
  kind: ErrorKind;
  type: string;
  message: string;
  traceback: string;
}

export type Frame =
  | { type: "ready" }
  | { type: "compile_error"; message: string }
  | { type: "load_error"; error: HarnessError }
  | { type: "missing_entry"; name: string }
  | { type: "result"; i: number; ok: true; ms: number; value: unknown }
  | { type: "result"; i: number; ok: false; ms: number; error: HarnessError }
  | { type: "done" };

export function newNonce(): string {
  return randomBytes(24).toString("hex");
}

export function headerLine(header: HarnessHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function payloadLine(testArgs: readonly unknown[][]): string {
  return `${JSON.stringify({ tests: testArgs })}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asHarnessError(value: unknown): HarnessError | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, type, message, traceback } = value;
  if (kind !== "exception" && kind !== "memory" && kind !== "output" && kind !== "unsupported") return undefined;
  if (typeof type !== "string" || typeof message !== "string" || typeof traceback !== "string") return undefined;
  return { kind, type, message, traceback };
}

/** Validates one frame's shape; anything unexpected is treated as tampering by the caller. */
export function parseFrame(json: unknown): Frame | undefined {
  if (!isRecord(json)) return undefined;
  switch (json.type) {
    case "ready":
    case "done":
      return { type: json.type };
    case "compile_error":
      return typeof json.message === "string" ? { type: "compile_error", message: json.message } : undefined;
    case "missing_entry":
      return typeof json.name === "string" ? { type: "missing_entry", name: json.name } : undefined;
    case "load_error": {
      const error = asHarnessError(json.error);
      return error ? { type: "load_error", error } : undefined;
    }
    case "result": {
      const { i, ok, ms } = json;
      if (typeof i !== "number" || !Number.isInteger(i) || typeof ms !== "number") return undefined;
      if (ok === true && "value" in json) return { type: "result", i, ok, ms, value: json.value };
      const error = asHarnessError(json.error);
      if (ok === false && error) return { type: "result", i, ok, ms, error };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Splits the result channel into frames and checks each one's nonce. Bytes are kept as Buffers until a
 * newline arrives so a multi-byte character split across chunks decodes correctly.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private readonly prefix: string;
  violation: string | undefined;

  constructor(nonce: string) {
    this.prefix = `${nonce} `;
  }

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending).toString("utf8");
      this.pending = [];
      start = nl + 1;
      const frame = this.parseLine(line);
      if (frame) frames.push(frame);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return frames;
  }

  /** Called once the channel closed: a partial last line is tampering or a crash mid-write. */
  finish(): void {
    if (this.pending.length > 0 && Buffer.concat(this.pending).length > 0) {
      this.violation ??= "the result channel ended in the middle of a frame";
    }
    this.pending = [];
  }

  private parseLine(line: string): Frame | undefined {
    if (!line.startsWith(this.prefix)) {
      this.violation ??= "the result channel received a line that did not come from the judge's harness";
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(line.slice(this.prefix.length));
    } catch {
      this.violation ??= "the result channel received a malformed frame";
      return undefined;
    }
    const frame = parseFrame(json);
    if (!frame) this.violation ??= "the result channel received a frame of an unknown shape";
    return frame;
  }
}
