/**
 * Runs in a worker thread: generates a question's tests (seeded generators, oracles) and serialises them,
 * so the seconds of CPU that large hidden inputs cost never run on the app's event loop. Everything goes
 * back as strings, which cross threads as a copy rather than a structured clone of millions of values.
 */
import { parentPort } from "node:worker_threads";
import type { Question } from "../content/schema.js";
import { JudgeContentError } from "./errors.js";
import { prepareProblem } from "./materialize.js";

export interface PrepareRequest {
  id: number;
  question: Question;
}

export interface SerializedTest {
  name: string;
  hidden: boolean;
  performance: boolean;
  argsJson: string;
  /** Undefined when a checker decides on its own. */
  expectedJson: string | undefined;
}

export type PrepareReply =
  | { id: number; ok: true; payload: string; tests: SerializedTest[] }
  | { id: number; ok: false; message: string; contentError: boolean };

parentPort?.on("message", async ({ id, question }: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const prepared = await prepareProblem(question);
    reply = {
      id,
      ok: true,
      payload: prepared.payload,
      tests: prepared.tests.map((t) => ({
        name: t.name,
        hidden: t.hidden,
        performance: t.performance,
        argsJson: JSON.stringify(t.args),
        expectedJson: t.expected === undefined ? undefined : JSON.stringify(t.expected),
      })),
    };
  } catch (error) {
    reply = { id, ok: false, message: (error as Error).message, contentError: error instanceof JudgeContentError };
  }
  parentPort?.postMessage(reply);
});
