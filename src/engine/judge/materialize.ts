/**
 * Turns a question's coding spec into concrete tests: written-out args or seeded generators, expected
 * values from the test or from the trusted TypeScript oracle. Expected values stay on this side.
 */
import { createHash } from "node:crypto";
import type { CodingSpec, Question, TestCaseSpec } from "../content/schema.js";
import { JudgeContentError } from "./errors.js";
import { checkers } from "./problems/checkers.js";
import { generators } from "./problems/generators.js";
import { oracles } from "./problems/oracles.js";
import { rngForParams } from "./problems/rng.js";
import { payloadLine } from "./protocol.js";

export interface MaterializedTest {
  name: string;
  hidden: boolean;
  performance: boolean;
  args: unknown[];
  /** Undefined only when a checker decides on its own. */
  expected: unknown;
}

export interface PreparedProblem {
  questionId: string;
  spec: CodingSpec;
  tests: MaterializedTest[];
  /** All tests' args as the JSON line sent to the harness; built once per question. */
  payload: string;
}

/** A stable per-test seed, so a generator used twice without an explicit seed still varies. */
function fallbackSeed(questionId: string, testName: string): number {
  return createHash("sha256").update(`${questionId}/${testName}`).digest().readUInt32LE(0);
}

function materializeOne(question: Question, spec: CodingSpec, test: TestCaseSpec, hidden: boolean): MaterializedTest {
  let args: unknown[];
  if (test.args) {
    args = test.args;
  } else if (test.generate) {
    const generator = generators[test.generate.generator];
    if (!generator) throw new JudgeContentError(`${question.id}: test "${test.name}" uses unknown generator "${test.generate.generator}"`);
    const params = test.generate.params;
    args = generator(params, rngForParams(params, fallbackSeed(question.id, test.name)));
  } else {
    throw new JudgeContentError(`${question.id}: test "${test.name}" has neither args nor generate`);
  }
  let expected = test.expected;
  if (expected === undefined) {
    const oracle = oracles[question.id];
    if (oracle) expected = oracle(args);
    else if (spec.compare.mode !== "checker") {
      throw new JudgeContentError(`${question.id}: test "${test.name}" has no expected value and no oracle`);
    }
  }
  return { name: test.name, hidden, performance: test.performance, args, expected };
}

function specOf(question: Question): CodingSpec {
  const spec = question.coding;
  if (!spec) throw new JudgeContentError(`${question.id} is not a coding question`);
  if (spec.compare.mode === "checker" && !checkers[spec.compare.checker]) {
    throw new JudgeContentError(`${question.id}: unknown checker "${spec.compare.checker}"`);
  }
  return spec;
}

function testSpecs(spec: CodingSpec): Array<[TestCaseSpec, boolean]> {
  return [...spec.examples.map((t) => [t, false] as [TestCaseSpec, boolean]), ...spec.tests.map((t) => [t, true] as [TestCaseSpec, boolean])];
}

/**
 * The question's tests, ready to send. Yields to the event loop after each generated test: large
 * inputs and their oracles take a while, and runs in flight must keep reading their frames meanwhile.
 */
export async function prepareProblem(question: Question): Promise<PreparedProblem> {
  const spec = specOf(question);
  const tests: MaterializedTest[] = [];
  for (const [t, hidden] of testSpecs(spec)) {
    tests.push(materializeOne(question, spec, t, hidden));
    if (t.generate) await new Promise((resolve) => setImmediate(resolve));
  }
  return { questionId: question.id, spec, tests, payload: payloadLine(tests.map((t) => t.args)) };
}
