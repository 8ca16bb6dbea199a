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
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the bytes, no recursion:
 * run before JSON.parse, so a value nested millions deep is refused without parsing it (V8's parser
 * copes, but every recursive walk afterwards — comparison, preview — would overflow the stack).
 */
export function nestedDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Why the reader stopped believing the channel: a limit (a verdict for the candidate) or tampering. */
export type ChannelBreach = "frame_too_large" | "frame_too_deep" | "tampered";

export interface FrameLimits {
  /** One frame (line) in bytes; checked while it arrives, so an oversized frame is never buffered whole. */
  maxFrameBytes: number;
  /** Nesting of a returned value; the frame's own envelope adds two levels. */
  maxValueDepth: number;
}

const ENVELOPE_DEPTH = 2;

/**
 * Splits the result channel into frames and checks each one's nonce, size and nesting before parsing.
 * The channel is untrusted: the candidate's code runs in the harness's process and can write anything
 * the harness could. Bytes are kept as Buffers until a newline arrives so a multi-byte character split
 * across chunks decodes correctly.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly prefix: string;
  violation: string | undefined;
  breach: ChannelBreach | undefined;

  constructor(
    nonce: string,
    private readonly limits: FrameLimits = { maxFrameBytes: Number.POSITIVE_INFINITY, maxValueDepth: Number.POSITIVE_INFINITY },
  ) {
    this.prefix = `${nonce} `;
  }

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0 && !this.breach; nl = chunk.indexOf(10, start)) {
      if (this.pendingBytes + (nl - start) > this.limits.maxFrameBytes) return this.stop(frames, "frame_too_large");
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
      if (nestedDeeperThan(line, this.limits.maxValueDepth + ENVELOPE_DEPTH)) return this.stop(frames, "frame_too_deep");
      const frame = this.parseLine(line.toString("utf8"));
      if (frame) frames.push(frame);
    }
    if (this.breach) return frames;
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.limits.maxFrameBytes) return this.stop(frames, "frame_too_large");
      this.pending.push(chunk.subarray(start));
    }
    return frames;
  }

  private stop(frames: Frame[], breach: ChannelBreach): Frame[] {
    this.breach ??= breach;
    this.violation ??= breach === "frame_too_large" ? "a result frame exceeded the size limit" : "a result frame was nested too deeply";
    this.pending = [];
    this.pendingBytes = 0;
    return frames;
  }

  /** Called once the channel closed: a partial last line is tampering or a crash mid-write. */
  finish(): void {
    if (!this.breach && this.pendingBytes > 0) {
      this.violation ??= "the result channel ended in the middle of a frame";
      this.breach = "tampered";
    }
    this.pending = [];
  }

  private parseLine(line: string): Frame | undefined {
    if (!line.startsWith(this.prefix)) return this.tampered("the result channel received a line that did not come from the judge's harness");
    let json: unknown;
    try {
      json = JSON.parse(line.slice(this.prefix.length));
    } catch {
      return this.tampered("the result channel received a malformed frame");
    }
    const frame = parseFrame(json);
    if (!frame) this.tampered("the result channel received a frame of an unknown shape");
    return frame;
  }

  tampered(why: string): undefined {
    this.violation ??= why;
    this.breach ??= "tampered";
    return undefined;
  }
}
