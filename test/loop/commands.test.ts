import { describe, expect, it } from "vitest";
import { parseLoopCommand } from "../../src/engine/loop/commands.js";
import { parseLoopArgs } from "../../src/slack/listeners/commands/subcommands/loop.js";

describe("commands typed in a loop thread", () => {
  it("are a reply made of the command word alone, whatever the case or trailing punctuation", () => {
    expect(parseLoopCommand("hint")).toBe("hint");
    expect(parseLoopCommand("  Next! ")).toBe("next");
    expect(parseLoopCommand("`skip`")).toBe("skip");
    expect(parseLoopCommand("Model answer")).toBe("model-answer");
    expect(parseLoopCommand("END.")).toBe("end");
  });

  it("never swallow an answer that merely contains a command word", () => {
    expect(parseLoopCommand("Next, I would add a re-ranking stage.")).toBeUndefined();
    expect(parseLoopCommand("I would skip the cold-start items at first")).toBeUndefined();
    expect(parseLoopCommand("")).toBeUndefined();
  });
});

describe("/interview loop arguments", () => {
  it("read the options in any order and the sub-actions on their own", () => {
    expect(parseLoopArgs([])).toEqual({ kind: "start", withHm: false, daily: false });
    expect(parseLoopArgs(["daily", "--with-hm"])).toEqual({ kind: "start", withHm: true, daily: true });
    // Slack turns a typed "--" into an em dash on some clients.
    expect(parseLoopArgs(["—with-hm"])).toEqual({ kind: "start", withHm: true, daily: false });
    expect(parseLoopArgs(["end"])).toEqual({ kind: "end" });
    expect(parseLoopArgs(["status"])).toEqual({ kind: "status" });
    expect(parseLoopArgs(["next"])).toEqual({ kind: "next" });
    expect(parseLoopArgs(["weekly"])).toEqual({ kind: "invalid", word: "weekly" });
  });
});
