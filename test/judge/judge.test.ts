/**
 * Verdicts as a candidate sees them, on the real sandbox: accepted references, wrong answers with the
 * right amount of detail, compile and runtime errors, time limits, comparison modes and rejections.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createJudge, JudgeRequestError, type Judge, type JudgeResult } from "../../src/engine/judge/index.js";
import {
  fixtureRound,
  fixtureBank,
  TWO_SUM_JS,
  TWO_SUM_PY,
  TWO_SUM_QUADRATIC_JS,
  TWO_SUM_QUADRATIC_PY,
  WORD_COUNT_PY,
} from "./judge-fixtures.js";

let judge: Judge;

beforeAll(async () => {
  judge = await createJudge({ bank: fixtureBank() });
  expect(judge.mode, judge.reason).toBe("sandbox");
});

function summary(result: JudgeResult): string {
  return `${result.verdict} ${result.passed}/${result.total}: ${result.message ?? result.tests.find((t) => !t.passed)?.error ?? ""}`;
}

describe("reference solutions", () => {
  const cases = fixtureRound.questions.flatMap((q) =>
    q.coding ? (["python", "javascript"] as const).map((language) => [q.id, language, q.coding!.reference[language]] as const) : [],
  );

  it.concurrent.each(cases)("%s in %s is accepted", async (questionId, language, source) => {
    const result = await judge.judge(questionId, language, source);
    expect(result.verdict, summary(result)).toBe("accepted");
    expect(result.passed).toBe(result.total);
    expect(result.tests.every((t) => t.passed && t.timeMs !== undefined)).toBe(true);
    expect(result.sandboxed).toBe(true);
  });

  it("lists every test, examples visible and the judge's own tests hidden", async () => {
    const result = await judge.judge("fixture-two-sum-zero", "python", TWO_SUM_PY);
    expect(result.tests.map((t) => [t.name, t.hidden])).toEqual([
      ["example", false],
      ...fixtureRound.questions.find((q) => q.id === "fixture-two-sum-zero")!.coding!.tests.map((t) => [t.name, true]),
    ]);
    expect(result.total).toBe(11);
  });
});

describe("time limits", () => {
  it.concurrent.each([
    ["python", TWO_SUM_QUADRATIC_PY],
    ["javascript", TWO_SUM_QUADRATIC_JS],
  ])("an O(n²) two-sum in %s passes the small tests and fails the large one by time", async (language, source) => {
    const result = await judge.judge("fixture-two-sum-zero", language, source);
    expect(result.verdict, summary(result)).toBe("time_limit_exceeded");
    expect(result.passed).toBe(10);
    expect(result.failure).toEqual({ name: "100,000 values", hidden: true });
    // The limit counts CPU time; the wall clock only backs it up (3× the limit) on a very busy machine.
    expect(result.cpuMs! >= 2000 || result.wallMs! >= 3 * 2000).toBe(true);
    expect(result.wallMs).toBeGreaterThanOrEqual(2000);
    expect(result.wallMs).toBeLessThan(3 * 2000 + 5000);
  });

  it("the linear solution of the same problem stays far below the limit", async () => {
    for (const [language, source] of [
      ["python", TWO_SUM_PY],
      ["javascript", TWO_SUM_JS],
    ] as const) {
      const result = await judge.judge("fixture-two-sum-zero", language, source);
      expect(result.verdict).toBe("accepted");
    }
  });
});

describe("wrong answers", () => {
  it("a failing visible example shows its input, the expected value and what came back", async () => {
    const result = await judge.judge("fixture-add", "python", "def add(a, b):\n    return a - b\n");
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure).toEqual({ name: "small numbers", hidden: false, input: [1, 2], expected: 3, got: -1 });
  });

  it("a failing hidden test shows only its name", async () => {
    const result = await judge.judge("fixture-add", "javascript", "function add(a, b) { return a > 20 ? 0 : a + b; }");
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure).toEqual({ name: "hidden 4", hidden: true });
    expect(result.passed).toBe(11 - 7);
    const hidden = result.tests.filter((t) => t.hidden && !t.passed);
    expect(hidden.every((t) => t.error === "wrong answer")).toBe(true);
    expect(JSON.stringify(result)).not.toContain('"expected"');
  });

  it("a duplicated pair fails two-sum even though the set of pairs is right", async () => {
    const duplicating =
      "def zero_sum_pairs(nums):\n    s = set(nums)\n    out = [[v, -v] for v in nums if v > 0 and -v in s]\n    if nums.count(0) > 1:\n        out.append([0, 0])\n    return out\n";
    const result = await judge.judge("fixture-two-sum-zero", "python", duplicating);
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure?.name).toBe("duplicates");
  });

  it("tuples and sets from Python arrive as lists", async () => {
    const source = "def zero_sum_pairs(nums):\n    s = set(nums)\n    out = {(-v, v) for v in s if v > 0 and -v in s}\n    if nums.count(0) > 1:\n        out.add((0, 0))\n    return out\n";
    const result = await judge.judge("fixture-two-sum-zero", "python", source);
    expect(result.verdict, summary(result)).toBe("accepted");
  });

  it("a reducer that counts occurrences instead of summing fails the direct reducer test", async () => {
    const source = WORD_COUNT_PY.replace("sum(counts)", "len(counts)");
    const result = await judge.judge("fixture-word-count", "python", source);
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure).toEqual({ name: "reducer direct", hidden: true });
  });

  it("a mapper that emits the wrong shape is told what was expected", async () => {
    const source = "function mapper(line) { return line.split(' '); }\nfunction reducer(w, c) { return [w, c.length]; }\n";
    const result = await judge.judge("fixture-word-count", "javascript", source);
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure?.message).toMatch(/\[word, count\] pair/);
  });

  it("floats are compared with the problem's tolerance", async () => {
    const close = await judge.judge("fixture-mean", "python", "def mean(xs):\n    return sum(xs) / len(xs) + 1e-9\n");
    expect(close.verdict).toBe("accepted");
    const off = await judge.judge("fixture-mean", "javascript", "function mean(xs) { return xs.reduce((a, b) => a + b, 0) / xs.length + 1e-3; }");
    expect(off.verdict).toBe("wrong_answer");
  });

  it("unordered groups match in any order with any order inside, but a missing group fails", async () => {
    const shuffled = "def groups(words):\n    out = {}\n    for w in reversed(words):\n        out.setdefault(''.join(sorted(w)), []).append(w)\n    return list(reversed(list(out.values())))\n";
    expect((await judge.judge("fixture-groups", "python", shuffled)).verdict).toBe("accepted");
    const missing = "function groups(words) { return [words.filter((w) => w.length === 2)]; }";
    expect((await judge.judge("fixture-groups", "javascript", missing)).verdict).toBe("wrong_answer");
  });
});

describe("errors in the code", () => {
  it("a syntax error is a compile error pointing at the candidate's line", async () => {
    const py = await judge.judge("fixture-add", "python", "def add(a, b)\n    return a + b\n");
    expect(py.verdict).toBe("compile_error");
    expect(py.message).toMatch(/solution\.py", line 1/);
    expect(py.message).toMatch(/SyntaxError/);
    const js = await judge.judge("fixture-add", "javascript", "function add(a, b) {\n  return a +;\n}\n");
    expect(js.verdict).toBe("compile_error");
    expect(js.message).toMatch(/solution\.js:2/);
    expect(js.tests.every((t) => !t.passed)).toBe(true);
  });

  it("a missing function is a compile error that shows the expected signature", async () => {
    const result = await judge.judge("fixture-two-sum-zero", "javascript", "function twoSum(nums) { return []; }\n");
    expect(result.verdict).toBe("compile_error");
    expect(result.message).toMatch(/zeroSumPairs/);
    expect(result.message).toMatch(/function zeroSumPairs\(nums\)/);
  });

  it("an exception is a runtime error with a trimmed traceback that shows no judge internals", async () => {
    const py = await judge.judge("fixture-add", "python", "def helper(x):\n    return 1 // x\n\ndef add(a, b):\n    return helper(a - 1)\n");
    expect(py.verdict).toBe("runtime_error");
    expect(py.message).toMatch(/line 2, in helper/);
    expect(py.message).toMatch(/ZeroDivisionError/);
    expect(py.message).not.toMatch(/harness|\/judge\/|\/tmp\//);
    const js = await judge.judge("fixture-add", "javascript", "function add(a, b) {\n  return null.x;\n}\n");
    expect(js.verdict).toBe("runtime_error");
    expect(js.message).toMatch(/TypeError/);
    expect(js.message).toMatch(/solution\.js:2/);
    expect(js.message).not.toMatch(/harness|node:internal\/|\/judge\//);
  });

  it("an exception while the module loads is a runtime error", async () => {
    const result = await judge.judge("fixture-add", "python", "import numpy_that_does_not_exist\ndef add(a, b):\n    return a + b\n");
    expect(result.verdict).toBe("runtime_error");
    expect(result.message).toMatch(/ModuleNotFoundError/);
  });
});

describe("requests the judge refuses", () => {
  it("an unsupported language is rejected without running", async () => {
    const result = await judge.judge("fixture-add", "ruby", "def add(a, b) a + b end");
    expect(result.verdict).toBe("rejected");
    expect(result.message).toMatch(/python or javascript/);
  });

  it("a source over 64 KB is rejected without running", async () => {
    const result = await judge.judge("fixture-add", "javascript", `// ${"x".repeat(70_000)}\nfunction add(a, b) { return a + b; }`);
    expect(result.verdict).toBe("rejected");
    expect(result.message).toMatch(/too large/);
  });

  it("unknown and non-coding questions are request errors, not verdicts", async () => {
    await expect(judge.judge("no-such-question", "python", "x")).rejects.toMatchObject({ code: "unknown_question" });
    await expect(judge.judge("fixture-talk", "python", "x")).rejects.toBeInstanceOf(JudgeRequestError);
  });
});
