import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { createGrader } from "../../src/engine/grading/grader.js";
import { InterviewService } from "../../src/engine/interview/service.js";
import { LoopStore } from "../../src/engine/loop/loop-store.js";
import { scheduleStoreFocus } from "../../src/engine/loop/schedule-focus.js";
import { LoopService, type CurrentState, type RoundToPost } from "../../src/engine/loop/service.js";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

export const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));

export interface Harness {
  dataDir: string;
  interview: InterviewService;
  loops: LoopService;
  schedule: ScheduleStore;
}

/** The real engine over a data dir (fresh by default): a second harness on the same dir is a restart. */
export function harness(options: { dataDir?: string; llmUrl?: string; now?: () => Date; followUpDepth?: number } = {}): Harness {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "loop-"));
  const grader = createGrader({
    promptsDir: contentPaths().promptsDir,
    llm: options.llmUrl ? { apiKey: "sk-test-loop", baseURL: options.llmUrl, model: "fake-critic", timeoutMs: 10_000, maxRetries: 0 } : undefined,
  });
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const interview = new InterviewService({ bank, store: new InterviewStore(new JsonDocs(dataDir)), grader, maxAnswerChars: 5_000, now: options.now, random });
  const schedule = new ScheduleStore(new JsonDocs(dataDir));
  const loops = new LoopService({
    interview,
    store: new LoopStore(new JsonDocs(dataDir)),
    focus: scheduleStoreFocus(schedule, options.now),
    followUpDepth: options.followUpDepth,
    now: options.now,
    random,
  });
  return { dataDir, interview, loops, schedule };
}

let tsCounter = 1_000;

/** Posts the loop's due round the way an adapter does, at a fresh thread key; returns the state of its first question. */
export async function postRound(h: Harness, userId: string, post?: RoundToPost): Promise<CurrentState> {
  const loop = await h.loops.active(userId);
  const due = post ?? (loop && h.loops.roundToPost(loop));
  if (!due) throw new Error("no round to post");
  const key = { channel: "D1", ts: `${++tsCounter}.000100` };
  await h.loops.roundPosted(due, key);
  return current(h, key);
}

/** The loop state of the thread at `key`, which must be the current question. */
export async function current(h: Harness, key: { channel: string; ts: string }): Promise<CurrentState> {
  const thread = await h.interview.thread(key);
  const state = thread && (await h.loops.locate(thread));
  if (state?.kind !== "current") throw new Error(`thread ${key.ts} is not the current question (${state?.kind})`);
  return state;
}

/** Skips every remaining question until the loop completes or waits for a later round. */
export async function skipRest(h: Harness, userId: string) {
  for (;;) {
    const loop = (await h.loops.active(userId))!;
    const round = loop.rounds[loop.currentRound]!;
    const state = round.status === "pending" ? await postRound(h, userId) : await current(h, round.thread!);
    const step = await h.loops.advance(state);
    if (step.kind === "completed") return step;
    if (step.kind === "round-ended" && step.next.dueAt) return step;
  }
}
