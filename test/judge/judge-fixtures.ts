/**
 * Small coding questions for the judge's own tests: they exercise the real sandbox without depending on
 * the content bank (the bank's questions are checked separately, in judge-bank.test.ts).
 */
import { QuestionBank } from "../../src/engine/content/bank.js";
import type { CodingSpec, Question, Round, TestCaseSpec } from "../../src/engine/content/schema.js";

function test(name: string, args: unknown[], expected?: unknown, performance = false): TestCaseSpec {
  return { name, args, ...(expected !== undefined ? { expected } : {}), performance };
}

function question(id: string, coding?: CodingSpec): Question {
  return {
    id,
    prompt: `Fixture ${id}`,
    difficulty: "easy",
    tags: ["fixture"],
    dimensions: ["correctness"],
    keyPoints: [
      { text: "complexity", dimension: "correctness", match: ["o\\(n\\)"], examples: { match: ["It runs in O(n).", "O(n) time"], noMatch: ["Not O(n).", "O(n^2)"] } },
      { text: "edge cases", dimension: "correctness", match: ["empty"], examples: { match: ["An empty list.", "empty input"], noMatch: ["No edge cases.", "A full list."] } },
      { text: "code quality", dimension: "correctness", match: ["name"], examples: { match: ["Good names.", "name things well"], noMatch: ["No naming.", "Short code."] } },
    ],
    referenceAnswer: "See the reference solutions.",
    followUps: ["a", "b"],
    hints: ["a", "b"],
    misconceptions: [],
    ...(coding ? { coding } : {}),
  };
}

export const ADD_PY = "def add(a, b):\n    return a + b\n";
export const ADD_JS = "function add(a, b) {\n  return a + b;\n}\n";

/** `add(a, b)`: trivial on purpose, so every hostile submission is judged on its hostility alone. */
export const addQuestion = question("fixture-add", {
  harness: "function",
  signatures: { python: "def add(a, b):", javascript: "function add(a, b)" },
  entry: { python: ["add"], javascript: ["add"] },
  compare: { mode: "exact" },
  limits: { timeMs: 1500, memoryMb: 128 },
  examples: [test("small numbers", [1, 2], 3)],
  tests: Array.from({ length: 10 }, (_, i) => test(`hidden ${i + 1}`, [i * 7, -i], i * 6)),
  reference: { python: ADD_PY, javascript: ADD_JS },
});

/**
 * `add` again with a small memory budget and a generous clock: V8 spends 1.5–2.5 s of CPU on garbage
 * collection before it admits a full heap, and the memory bombs must be caught by memory, not by time.
 */
export const memoryQuestion = question("fixture-memory", {
  ...addQuestion.coding!,
  limits: { timeMs: 5000, memoryMb: 64 },
});

export const TWO_SUM_PY = `def zero_sum_pairs(nums):
    seen = set()
    pairs = set()
    for v in nums:
        if -v in seen:
            pairs.add((min(v, -v), max(v, -v)))
        seen.add(v)
    return [list(p) for p in pairs]
`;

export const TWO_SUM_JS = `function zeroSumPairs(nums) {
  const seen = new Set();
  const pairs = new Map();
  for (const v of nums) {
    if (seen.has(-v)) pairs.set(Math.min(v, -v), [Math.min(v, -v), Math.max(v, -v)]);
    seen.add(v);
  }
  return [...pairs.values()];
}
`;

export const TWO_SUM_QUADRATIC_PY = `def zero_sum_pairs(nums):
    pairs = set()
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == 0:
                pairs.add((min(nums[i], nums[j]), max(nums[i], nums[j])))
    return [list(p) for p in pairs]
`;

export const TWO_SUM_QUADRATIC_JS = `function zeroSumPairs(nums) {
  const pairs = new Map();
  for (let i = 0; i < nums.length; i++) {
    for (let j = i + 1; j < nums.length; j++) {
      if (nums[i] + nums[j] === 0) pairs.set(Math.min(nums[i], nums[j]), [Math.min(nums[i], nums[j]), Math.max(nums[i], nums[j])]);
    }
  }
  return [...pairs.values()];
}
`;

/** The seed's 2sum, with the problem bank's checker and generator (performance test n = 100,000). */
export const twoSumQuestion = question("fixture-two-sum-zero", {
  harness: "function",
  signatures: { python: "def zero_sum_pairs(nums):", javascript: "function zeroSumPairs(nums)" },
  entry: { python: ["zero_sum_pairs"], javascript: ["zeroSumPairs"] },
  compare: { mode: "checker", checker: "zero-sum-pairs" },
  limits: { timeMs: 2000, memoryMb: 256 },
  examples: [test("example", [[1, -1, 2, 3, -3]], [[-1, 1], [-3, 3]])],
  tests: [
    test("empty", [[]], []),
    test("single zero", [[0]], []),
    test("two zeros", [[0, 0]], [[0, 0]]),
    test("duplicates", [[2, -2, 2, -2]], [[-2, 2]]),
    test("no pairs", [[1, 2, 3]], []),
    test("negatives only", [[-1, -2]], []),
    test("large values", [[1e9, -1e9, 5]], [[-1e9, 1e9]]),
    test("mixed", [[5, -5, 0, 1, 0, -1]], [[-5, 5], [0, 0], [-1, 1]]),
    test("three zeros", [[0, 0, 0]], [[0, 0]]),
    {
      name: "100,000 values",
      generate: { generator: "zero-sum-values", params: { n: 100_000, maxAbs: 1_000_000_000, planted: 1000, seed: 7 } },
      performance: true,
    },
  ],
  reference: { python: TWO_SUM_PY, javascript: TWO_SUM_JS },
});

export const WORD_COUNT_PY = `import re
def mapper(line):
    for word in re.findall(r"[a-z0-9]+", line.lower()):
        yield (word, 1)

def reducer(word, counts):
    return (word, sum(counts))
`;

export const WORD_COUNT_JS = `function mapper(line) {
  return (line.toLowerCase().match(/[a-z0-9]+/g) || []).map((w) => [w, 1]);
}
function reducer(word, counts) {
  return [word, counts.reduce((a, b) => a + b, 0)];
}
`;

export const wordCountQuestion = question("fixture-word-count", {
  harness: "mapreduce",
  signatures: { python: "def mapper(line):\ndef reducer(word, counts):", javascript: "function mapper(line)\nfunction reducer(word, counts)" },
  entry: { python: ["mapper", "reducer"], javascript: ["mapper", "reducer"] },
  compare: { mode: "exact" },
  limits: { timeMs: 2000, memoryMb: 256 },
  examples: [test("two lines", [["The cat", "the DOG, the end"]], { the: 3, cat: 1, dog: 1, end: 1 })],
  tests: [
    test("empty input", [[]], {}),
    test("blank line", [[""]], {}),
    test("digits", [["r2d2 r2d2 c3po"]], { r2d2: 2, c3po: 1 }),
    test("punctuation", [["a-b_c! a"]], { a: 2, b: 1, c: 1 }),
    test("reducer direct", [{ reducer: { word: "w", counts: [3, 4] } }], ["w", 7]),
    test("reducer single", [{ reducer: { word: "x", counts: [5] } }], ["x", 5]),
    test("case", [["ABC abc AbC"]], { abc: 3 }),
    test("tabs", [["a\tb\ta"]], { a: 2, b: 1 }),
    test("unicode", [["café cafe"]], { caf: 1, cafe: 1 }),
    test("many", [["x ".repeat(50)]], { x: 50 }),
  ],
  reference: { python: WORD_COUNT_PY, javascript: WORD_COUNT_JS },
});

/** Float comparison with a tolerance. */
export const meanQuestion = question("fixture-mean", {
  harness: "function",
  signatures: { python: "def mean(xs):", javascript: "function mean(xs)" },
  entry: { python: ["mean"], javascript: ["mean"] },
  compare: { mode: "float", tolerance: 1e-6 },
  limits: { timeMs: 1500, memoryMb: 128 },
  examples: [test("thirds", [[1, 2]], 1.5)],
  tests: Array.from({ length: 10 }, (_, i) => test(`hidden ${i + 1}`, [[0.1, 0.2, i]], (0.3 + i) / 3)),
  reference: { python: "def mean(xs):\n    return sum(xs) / len(xs)\n", javascript: "function mean(xs) { return xs.reduce((a, b) => a + b, 0) / xs.length; }\n" },
});

/** Unordered output whose inner lists are sorted before comparing (pairs, groups). */
export const groupsQuestion = question("fixture-groups", {
  harness: "function",
  signatures: { python: "def groups(words):", javascript: "function groups(words)" },
  entry: { python: ["groups"], javascript: ["groups"] },
  compare: { mode: "unordered-sorted-inner" },
  limits: { timeMs: 1500, memoryMb: 128 },
  examples: [test("anagrams", [["ab", "ba", "c"]], [["ab", "ba"], ["c"]])],
  tests: Array.from({ length: 10 }, (_, i) => test(`hidden ${i + 1}`, [["xy", "yx", `z${i}`]], [["xy", "yx"], [`z${i}`]])),
  reference: {
    python: "def groups(words):\n    out = {}\n    for w in words:\n        out.setdefault(''.join(sorted(w)), []).append(w)\n    return list(out.values())\n",
    javascript:
      "function groups(words) {\n  const out = new Map();\n  for (const w of words) {\n    const k = [...w].sort().join('');\n    if (!out.has(k)) out.set(k, []);\n    out.get(k).push(w);\n  }\n  return [...out.values()];\n}\n",
  },
});

/** A discussion question: the judge refuses it. */
export const talkQuestion = question("fixture-talk");

export const fixtureRound: Round = {
  id: "coding",
  title: "Coding (fixture)",
  aliases: [],
  order: 1,
  probes: "fixture",
  timeGuideMinutes: 45,
  rubric: [],
  signals: [],
  questions: [addQuestion, memoryQuestion, twoSumQuestion, wordCountQuestion, meanQuestion, groupsQuestion, talkQuestion],
};

export function fixtureBank(): QuestionBank {
  return new QuestionBank([fixtureRound]);
}
