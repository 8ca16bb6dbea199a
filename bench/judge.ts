/**
 * Code judge bench: latency of an accepted `two-sum-zero` in Python and JavaScript through the
 * sandboxed judge vs the same harness and tests run by the bare interpreter (the judge's unsandboxed
 * mode, same code path minus bubblewrap), measured in this run; then throughput with many concurrent
 * submissions; then how responsive the app stays while code is judged: the event loop's max and p99
 * delay while 4 code answers for 4 cold questions are judged (tests prepared in the worker thread),
 * against preparing the same tests on the main thread, and the ack latency of slash commands sent to the
 * real app meanwhile, against an idle app. Plain lines only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { startSlackApp } from "../src/app/start.js";
import { loadConfig } from "../src/config.js";
import { prepareProblem } from "../src/engine/judge/materialize.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { postSigned, slashCommandBody, TEST_SIGNING_SECRET } from "../test/support/signed.js";
import { QuestionBank } from "../src/engine/content/bank.js";
import { loadRounds } from "../src/engine/content/load.js";
import { contentPaths } from "../src/engine/content/paths.js";
import { createJudge, type Judge } from "../src/engine/judge/index.js";
import type { Language } from "../src/engine/judge/types.js";
import { percentile } from "./stats.js";

const QUESTION = "two-sum-zero";
const ROUNDS = 7;
const CONCURRENT = 24;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function timed(judge: Judge, language: Language, source: string): Promise<{ ms: number; wallMs: number; cpuMs: number; verdict: string }> {
  const started = performance.now();
  const result = await judge.judge(QUESTION, language, source);
  return { ms: performance.now() - started, wallMs: result.wallMs ?? NaN, cpuMs: result.cpuMs ?? NaN, verdict: result.verdict };
}

/** Four questions whose hidden tests are the most expensive to generate, two per language. */
const RESPONSIVE_QUESTIONS: Array<[string, Language]> = [
  ["top-k-frequent-items", "python"],
  ["word-count-mapreduce", "javascript"],
  ["two-sum-zero", "python"],
  ["merge-delivery-windows", "javascript"],
];


/** Event-loop delay (max, p99 in ms) while `work` runs. */
async function loopDelayDuring(work: () => Promise<unknown>): Promise<{ max: number; p99: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  histogram.disable();
  return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6, ms };
}

/** Sends `/interview help` every 50 ms until `done` settles; returns the ack latencies. */
async function acksDuring(eventsUrl: string, responseUrl: string, done: Promise<unknown>): Promise<number[]> {
  const acks: number[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  const inFlight: Promise<void>[] = [];
  let i = 0;
  while (!finished || i < 5) {
    const body = slashCommandBody({ text: "help", userId: `UACK${i++}`, channelId: "CACK", responseUrl });
    inFlight.push(
      (async () => {
        const t0 = performance.now();
        const res = await postSigned(eventsUrl, body, "application/x-www-form-urlencoded");
        await res.arrayBuffer();
        if (res.status === 200) acks.push(performance.now() - t0);
      })(),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(inFlight);
  return acks.sort((a, b) => a - b);
}

async function benchResponsiveness(bank: QuestionBank): Promise<void> {
  const sources = RESPONSIVE_QUESTIONS.map(([id, language]) => {
    const source = bank.get(id).question.coding?.reference[language];
    if (!source) throw new Error(`${id} has no ${language} reference`);
    return { id, language, source };
  });
  const fmt = (d: { max: number; p99: number }) => `max ${d.max.toFixed(0)} ms, p99 ${d.p99.toFixed(0)} ms`;

  // Noise floor first (other processes on the machine delay this thread too), then the judge's worker,
  // then the way the judge used to prepare tests: on the main thread, in steps of one test (last, so its
  // garbage is not collected during the judge's measurement).
  const idle = await loopDelayDuring(() => new Promise((resolve) => setTimeout(resolve, 2000)));
  const cold = await createJudge({ bank });
  const verdicts: string[] = [];
  const judged = await loopDelayDuring(() =>
    Promise.all(sources.map(async ({ id, language, source }) => verdicts.push((await cold.judge(id, language, source)).verdict))),
  );
  const inline = await loopDelayDuring(() => Promise.all(sources.map(({ id }) => prepareProblem(bank.get(id).question))));
  console.log(
    `judge event loop while 4 code answers (4 cold questions) are judged: ${fmt(judged)} over ${(judged.ms / 1000).toFixed(1)} s` +
      ` (${verdicts.filter((v) => v === "accepted").length}/4 accepted) | idle, same process: ${fmt(idle)}` +
      ` | preparing the same tests on the main thread instead: ${fmt(inline)} | max delay ratio ${(inline.max / judged.max).toFixed(1)}x`,
  );

  // Slash-command acks from the real app (signature check, parse, ack) while its own judge works.
  const slack = await startFakeSlack();
  const dataDir = mkdtempSync(join(tmpdir(), "bench-judge-"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "error",
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
  });
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const app = await startSlackApp(config, silent);
  try {
    const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
    const quiet = await acksDuring(eventsUrl, slack.responseUrl(), new Promise((resolve) => setTimeout(resolve, 1500)));
    const busy = await acksDuring(
      eventsUrl,
      slack.responseUrl(),
      Promise.all(sources.map(({ id, language, source }) => app.engine.judge.judge(id, language, source))),
    );
    // Each help command also posts its answer to response_url after the ack: let those land before closing.
    const answered = quiet.length + busy.length;
    await slack.waitFor((calls) => calls.filter((c) => c.method === "response_url").length >= answered, 30_000).catch(() => undefined);
    const line = (acks: number[]) =>
      `p50 ${percentile(acks, 50).toFixed(0)} ms, p99 ${percentile(acks, 99).toFixed(0)} ms, max ${(acks[acks.length - 1] ?? NaN).toFixed(0)} ms (n=${acks.length})`;
    console.log(
      `judge slash-command acks while 4 code answers are judged: ${line(busy)} | idle app: ${line(quiet)}` +
        ` | p99 ratio ${(percentile(busy, 99) / percentile(quiet, 99)).toFixed(1)}x (client in the same process: includes any event-loop stall)`,
    );
  } finally {
    await app.stop();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runJudgeBench(): Promise<void> {
  const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
  const question = bank.get(QUESTION).question;
  const reference = question.coding?.reference;
  if (!reference) throw new Error(`${QUESTION} has no coding spec`);

  const sandboxed = await createJudge({ bank });
  if (sandboxed.mode !== "sandbox") {
    console.log(`judge: sandbox unavailable (${sandboxed.reason}); skipping the judge bench`);
    return;
  }
  const bare = await createJudge({
    bank,
    bwrapPath: "/nonexistent/bwrap-for-the-bare-baseline",
    env: { ALLOW_UNSANDBOXED_CODE_EXECUTION: "1" },
  });
  console.log(`judge: ${QUESTION}, ${question.coding!.tests.length + question.coding!.examples.length} tests, limit ${question.coding!.limits.timeMs} ms; ${availableParallelism()} cores`);

  for (const language of ["python", "javascript"] as const) {
    const source = reference[language];
    // Warm-up: generates and caches the tests, loads the interpreter into the page cache.
    for (const judge of [sandboxed, bare]) {
      const warm = await timed(judge, language, source);
      if (warm.verdict !== "accepted") throw new Error(`${language} reference judged ${warm.verdict}`);
    }
    const inSandbox: number[] = [];
    const direct: number[] = [];
    const sandboxWall: number[] = [];
    const directWall: number[] = [];
    const sandboxCpu: number[] = [];
    const directCpu: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = await timed(sandboxed, language, source);
      const b = await timed(bare, language, source);
      inSandbox.push(a.ms);
      sandboxWall.push(a.wallMs);
      sandboxCpu.push(a.cpuMs);
      direct.push(b.ms);
      directWall.push(b.wallMs);
      directCpu.push(b.cpuMs);
    }
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log(
      `judge latency ${language.padEnd(10)} sandbox median ${ms(median(inSandbox))} (tests ${ms(median(sandboxWall))}, ${ms(median(sandboxCpu))} CPU)` +
        ` | bare ${ms(median(direct))} (tests ${ms(median(directWall))}, ${ms(median(directCpu))} CPU)` +
        ` | ratio ${(median(inSandbox) / median(direct)).toFixed(2)}x end-to-end, ${(median(sandboxWall) / median(directWall)).toFixed(2)}x test phase` +
        ` | +${ms(median(inSandbox) - median(direct))} per submission (n=${ROUNDS})`,
    );
  }

  for (const [name, judge] of [
    ["sandbox", sandboxed],
    ["bare", bare],
  ] as const) {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => {
        const language: Language = i % 2 ? "javascript" : "python";
        return timed(judge, language, reference[language]);
      }),
    );
    const total = performance.now() - started;
    const accepted = results.filter((r) => r.verdict === "accepted").length;
    const worst = Math.max(...results.map((r) => r.ms));
    console.log(
      `judge throughput ${name.padEnd(7)} ${CONCURRENT} concurrent submissions (half Python, half JS), ${judge.queue.concurrency} at a time:` +
        ` ${total.toFixed(0)} ms total, ${((CONCURRENT * 1000) / total).toFixed(1)} submissions/s,` +
        ` slowest wait+run ${worst.toFixed(0)} ms, ${accepted}/${CONCURRENT} accepted`,
    );
  }

  await benchResponsiveness(bank);
}
