import { describe, expect, it } from "vitest";
import { codeRunBlocks } from "../../../src/slack/blocks/code-run.js";
import type { CodeRunOutcome } from "../../../src/engine/interview/service.js";
import type { JudgeResult } from "../../../src/engine/judge/index.js";

function run(result: Partial<JudgeResult>): CodeRunOutcome {
  const full: JudgeResult = {
    questionId: "two-sum-zero",
    language: "python",
    verdict: "accepted",
    passed: 3,
    total: 3,
    tests: [
      { name: "example 1", hidden: false, passed: true },
      { name: "duplicates", hidden: true, passed: true },
      { name: "100,000 values", hidden: true, passed: true },
    ],
    limits: { timeMs: 1500, memoryMb: 256 },
    cpuMs: 210,
    sandboxed: true,
    ...result,
  };
  return { result: full, summary: { language: full.language, verdict: full.verdict, passed: full.passed, total: full.total } };
}

const text = (blocks: unknown) => JSON.stringify(blocks);

describe("codeRunBlocks", () => {
  it("shows the verdict, the pass count, the CPU time against the limit and a mark per test", () => {
    const rendered = text(codeRunBlocks(run({})));
    expect(rendered).toContain("Accepted");
    expect(rendered).toContain("3/3 tests passed");
    expect(rendered).toContain("210 ms CPU of 1500 ms");
    expect(rendered).toContain("✓ example 1 (example)");
    expect(rendered).toContain("✓ duplicates");
  });

  it("shows input, expected and got only for a failing visible example", () => {
    const visible = text(codeRunBlocks(run({ verdict: "wrong_answer", passed: 0, failure: { name: "example 1", hidden: false, input: [[1, -1]], expected: [[-1, 1]], got: [] } })));
    expect(visible).toContain("Wrong answer");
    expect(visible).toContain("[[1,-1]]");
    const hidden = text(codeRunBlocks(run({ verdict: "wrong_answer", passed: 1, failure: { name: "duplicates", hidden: true } })));
    expect(hidden).toContain("duplicates (hidden)");
    expect(hidden).not.toContain("Expected:");
  });

  it("escapes program output and cannot be broken out of its code block", () => {
    const rendered = text(codeRunBlocks(run({ verdict: "runtime_error", passed: 0, message: "Traceback: <!channel> ``` @here & more" })));
    expect(rendered).toContain("&lt;!channel&gt;");
    expect(rendered).not.toContain("<!channel>");
    expect(rendered.match(/```/g)?.length).toBe(2);
  });

  it("warns when code ran without the sandbox", () => {
    expect(text(codeRunBlocks(run({ sandboxed: false })))).toContain("without a sandbox");
  });
});
