/**
 * Code judge bench: latency of an accepted `two-sum-zero` in Python and JavaScript through the
 * sandboxed judge vs the same harness and tests run by the bare interpreter (the judge's unsandboxed
 * mode, same code path minus bubblewrap), measured in this run; then throughput with many concurrent
 * submissions. Plain lines only.
 */
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { QuestionBank } from "../src/engine/content/bank.js";
import { loadRounds } from "../src/engine/content/load.js";
import { contentPaths } from "../src/engine/content/paths.js";
import { createJudge, type Judge } from "../src/engine/judge/index.js";
import type { Language } from "../src/engine/judge/types.js";

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
}
