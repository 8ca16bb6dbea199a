/**
 * The labelled evaluation set (test/fixtures/eval/*.yaml) and how a grader is scored on it: for each
 * question, an expert's strong answer and the answers that fool graders (weak, keyword-stuffed,
 * confidently wrong, off-topic, templated, negated). A grader orders a pair correctly when the strong
 * answer scores strictly above the other one. Used by `npm run eval` and by test/grading/eval.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import type { QuestionBank } from "../src/engine/content/bank.js";
import type { Critique, CodeRunSummary, Grader } from "../src/engine/grading/types.js";

export const EVAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../test/fixtures/eval");

/** Every variant that is compared with the strong answer, in print order. */
export const RIVALS = ["weak", "stuffed", "wrong", "offTopic", "templated", "negated"] as const;
export type Rival = (typeof RIVALS)[number];
export type Variant = "strong" | Rival;

const codeSchema = z.strictObject({
  language: z.enum(["python", "javascript"]),
  verdict: z.string(),
  passed: z.number().int().min(0),
  total: z.number().int().positive(),
});

const text = z.string().trim().min(1);
const itemSchema = z.strictObject({
  question: z.string(),
  /** The eval item whose strong answer is this question's off-topic answer (same round). */
  offTopicFrom: z.string(),
  variants: z.strictObject({ strong: text, weak: text, stuffed: text, wrong: text, templated: text, negated: text }),
  /** Coding questions: what the code judge said about each variant's code. */
  code: z.record(z.string(), codeSchema).optional(),
});
const fileSchema = z.strictObject({ round: z.string(), items: z.array(itemSchema).min(1) });

export interface EvalItem {
  roundId: string;
  questionId: string;
  answers: Record<Variant, string>;
  code: Partial<Record<Variant, CodeRunSummary>>;
}

/** Loads and checks the set; throws with the file name when a fixture is malformed or names an unknown question. */
export function loadEvalSet(bank: QuestionBank, dir = EVAL_DIR): EvalItem[] {
  const items: EvalItem[] = [];
  const strongById = new Map<string, string>();
  const raw: Array<{ file: string; round: string; item: z.infer<typeof itemSchema> }> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    const parsed = fileSchema.safeParse(parse(readFileSync(join(dir, file), "utf8")));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
    for (const item of parsed.data.items) {
      const ref = bank.find(item.question);
      if (!ref || ref.round.id !== parsed.data.round) throw new Error(`${file}: ${item.question} is not a question of round ${parsed.data.round}`);
      strongById.set(item.question, item.variants.strong);
      raw.push({ file, round: parsed.data.round, item });
    }
  }
  for (const { file, round, item } of raw) {
    const offTopic = strongById.get(item.offTopicFrom);
    if (!offTopic || item.offTopicFrom === item.question) throw new Error(`${file}: offTopicFrom "${item.offTopicFrom}" of ${item.question} is not another eval item`);
    items.push({
      roundId: round,
      questionId: item.question,
      answers: { ...item.variants, offTopic },
      code: (item.code ?? {}) as Partial<Record<Variant, CodeRunSummary>>,
    });
  }
  return items;
}

export interface GradedItem {
  item: EvalItem;
  critiques: Record<Variant, Critique>;
}

export interface EvalSummary {
  /** Per rival: pairs where strong scored strictly above it, and how many pairs. */
  ordered: Record<Rival, { correct: number; total: number; failures: string[] }>;
  /** Strong answers with a score of at least 3. */
  strongAtLeast3: { count: number; total: number; failures: string[] };
  graded: GradedItem[];
}

export async function gradeEvalSet(bank: QuestionBank, grader: Grader, items: readonly EvalItem[]): Promise<GradedItem[]> {
  const graded: GradedItem[] = [];
  for (const item of items) {
    const { round, question } = bank.get(item.questionId);
    const critiques = {} as Record<Variant, Critique>;
    for (const variant of ["strong", ...RIVALS] as Variant[]) {
      const code = item.code[variant];
      critiques[variant] = await grader.grade({ round, question, answer: item.answers[variant], ...(code ? { code } : {}) });
    }
    graded.push({ item, critiques });
  }
  return graded;
}

export function summarise(graded: readonly GradedItem[]): EvalSummary {
  const ordered = Object.fromEntries(RIVALS.map((r) => [r, { correct: 0, total: 0, failures: [] as string[] }])) as EvalSummary["ordered"];
  const strongAtLeast3 = { count: 0, total: 0, failures: [] as string[] };
  for (const { item, critiques } of graded) {
    const strong = critiques.strong.overall;
    for (const rival of RIVALS) {
      const o = ordered[rival];
      o.total += 1;
      if (strong > critiques[rival].overall) o.correct += 1;
      else o.failures.push(`${item.questionId}: strong ${strong.toFixed(2)} vs ${rival} ${critiques[rival].overall.toFixed(2)}`);
    }
    strongAtLeast3.total += 1;
    if (strong >= 3) strongAtLeast3.count += 1;
    else strongAtLeast3.failures.push(`${item.questionId}: strong ${strong.toFixed(2)}`);
  }
  return { ordered, strongAtLeast3, graded: [...graded] };
}

/** Targets for the offline check (issue 9): share of pairs ordered correctly, and strong answers at ≥ 3. */
export const OFFLINE_TARGETS: Record<Rival, number> & { strongAtLeast3: number } = {
  weak: 0.9,
  stuffed: 0.9,
  offTopic: 0.9,
  templated: 0.9,
  negated: 0.9,
  wrong: 0.75,
  strongAtLeast3: 0.8,
};

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${Math.round((100 * n) / d)}%`);

/** The table `npm run eval` prints for one grader. */
export function formatSummary(label: string, summary: EvalSummary, targets?: typeof OFFLINE_TARGETS): string {
  const lines = [`${label}: strong answer ranked above …`];
  for (const rival of RIVALS) {
    const o = summary.ordered[rival];
    const target = targets ? `  (target ≥ ${Math.round(targets[rival] * 100)}%)` : "";
    lines.push(`  ${rival.padEnd(10)} ${pct(o.correct, o.total).padStart(5)}  ${o.correct}/${o.total}${target}`);
  }
  const s = summary.strongAtLeast3;
  lines.push(`  strong ≥ 3 ${pct(s.count, s.total).padStart(5)}  ${s.count}/${s.total}${targets ? `  (target ≥ ${Math.round(targets.strongAtLeast3 * 100)}%)` : ""}`);
  const failures = [...RIVALS.flatMap((r) => summary.ordered[r].failures), ...s.failures];
  if (failures.length > 0) lines.push("  misordered or low:", ...failures.map((f) => `    ${f}`));
  return lines.join("\n");
}

/** Which targets a summary misses (empty when all are met). */
export function missedTargets(summary: EvalSummary, targets = OFFLINE_TARGETS): string[] {
  const missed: string[] = [];
  for (const rival of RIVALS) {
    const o = summary.ordered[rival];
    if (o.correct / o.total < targets[rival]) missed.push(`${rival}: ${pct(o.correct, o.total)} < ${Math.round(targets[rival] * 100)}%`);
  }
  const s = summary.strongAtLeast3;
  if (s.count / s.total < targets.strongAtLeast3) missed.push(`strong ≥ 3: ${pct(s.count, s.total)} < ${Math.round(targets.strongAtLeast3 * 100)}%`);
  return missed;
}

/** One line per question: every variant's score, strong first (for `npm run eval -- --verbose`). */
export function formatScores(summary: EvalSummary): string {
  const header = `  ${"question".padEnd(30)} ${["strong", ...RIVALS].map((v) => v.padStart(9)).join("")}`;
  const rows = summary.graded.map(
    ({ item, critiques }) => `  ${item.questionId.padEnd(30)} ${(["strong", ...RIVALS] as Variant[]).map((v) => critiques[v].overall.toFixed(2).padStart(9)).join("")}`,
  );
  return [header, ...rows].join("\n");
}
