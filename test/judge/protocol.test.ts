/** The result channel's reader: limits are enforced before parsing, and only real structure counts. */
import { describe, expect, it } from "vitest";
import { FrameReader, nestedDeeperThan } from "../../src/engine/judge/protocol.js";
import { boundedJson, preview } from "../../src/engine/judge/sanitize.js";

const NONCE = "n0nce";
const line = (json: string) => Buffer.from(`${NONCE} ${json}\n`);

describe("the frame reader", () => {
  it("counts nesting only outside strings, escapes included", () => {
    const bytes = (text: string) => Buffer.from(text);
    expect(nestedDeeperThan(bytes('[[["a"]]]'), 3)).toBe(false);
    expect(nestedDeeperThan(bytes('[[[["a"]]]]'), 3)).toBe(true);
    expect(nestedDeeperThan(bytes(`"${"[".repeat(50)}"`), 3)).toBe(false);
    expect(nestedDeeperThan(bytes(`["\\"[[[[[[", {"k": "\\\\"}, [[1]]]`), 3)).toBe(false);
  });

  it("refuses a frame over the size limit while it arrives, before the newline", () => {
    const reader = new FrameReader(NONCE, { maxFrameBytes: 1000, maxValueDepth: 10 });
    expect(reader.push(Buffer.from(`${NONCE} {"type":"result","i":0,"ok":true,"ms":1,"value":"`))).toEqual([]);
    expect(reader.breach).toBeUndefined();
    reader.push(Buffer.alloc(2000, 0x78));
    expect(reader.breach).toBe("frame_too_large");
  });

  it("refuses a frame nested deeper than the limit without parsing it, and accepts one at the limit", () => {
    const ok = new FrameReader(NONCE, { maxFrameBytes: 1e6, maxValueDepth: 10 });
    const atLimit = `${"[".repeat(10)}${"]".repeat(10)}`;
    expect(ok.push(line(`{"type":"result","i":0,"ok":true,"ms":1,"value":${atLimit}}`))).toHaveLength(1);
    expect(ok.breach).toBeUndefined();

    const deep = new FrameReader(NONCE, { maxFrameBytes: 1e7, maxValueDepth: 10 });
    const frames = deep.push(line(`{"type":"result","i":0,"ok":true,"ms":1,"value":${"[".repeat(2_000_000)}${"]".repeat(2_000_000)}}`));
    expect(frames).toEqual([]);
    expect(deep.breach).toBe("frame_too_deep");
  });

  it("treats a line without the nonce as tampering, not as a limit", () => {
    const reader = new FrameReader(NONCE, { maxFrameBytes: 1e6, maxValueDepth: 10 });
    reader.push(Buffer.from('forged {"type":"done"}\n'));
    expect(reader.breach).toBe("tampered");
  });
});

describe("bounded previews", () => {
  it("match JSON.stringify when the value fits", () => {
    for (const value of [1, "a\"b", null, true, [], {}, [1, [2, { a: 3, "b c": [true, null] }]], { x: { y: { z: [] } } }]) {
      expect(boundedJson(value, 1000)).toEqual({ text: JSON.stringify(value), complete: true });
    }
  });

  it("stop early on values too deep or too long to stringify", () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(preview(deep, 20)).toBe(`${"[".repeat(19)}… (truncated)`);
    const wide = Array.from({ length: 500_000 }, (_, i) => i);
    expect(String(preview(wide, 12))).toBe("[0,1,2,3,4,… (truncated)");
  });
});
