import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseYamlCached } from "./yaml-cache.js";
import type { z } from "zod";
import { roundSchema, ROUND_IDS, type Question, type Round } from "./schema.js";

/** One problem in one content file, located precisely enough to fix it without searching. */
export interface ContentIssue {
  file: string;
  path: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(
      `Invalid interview content (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  ${i.file}: ${i.path || "(root)"}: ${i.message}`).join("\n"),
    );
    this.name = "ContentError";
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

/** Cross-references the schema cannot express: dimensions exist, ids are unique, file name matches. */
function checkReferences(round: Round, file: string, seenQuestionIds: Map<string, string>): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const dims = new Set(round.rubric.map((d) => d.id));
  const expectedId = basename(file).replace(/\.ya?ml$/, "");
  if (round.id !== expectedId) {
    issues.push({ file, path: "id", message: `round id "${round.id}" must match the file name "${expectedId}"` });
  }
  if (dims.size !== round.rubric.length) issues.push({ file, path: "rubric", message: "rubric dimension ids must be unique" });
  round.signals.forEach((s, i) => {
    if (!dims.has(s.dimension)) {
      issues.push({ file, path: `signals[${i}].dimension`, message: `unknown rubric dimension "${s.dimension}"` });
    }
  });
  round.questions.forEach((q, qi) => {
    const other = seenQuestionIds.get(q.id);
    if (other) issues.push({ file, path: `questions[${qi}].id`, message: `question id "${q.id}" is also used in ${other}` });
    seenQuestionIds.set(q.id, file);
    q.dimensions.forEach((d, di) => {
      if (!dims.has(d)) issues.push({ file, path: `questions[${qi}].dimensions[${di}]`, message: `unknown rubric dimension "${d}"` });
    });
    const applicable = new Set(q.dimensions);
    // A listed dimension no key point checks would be scored on the answer's overall coverage alone.
    q.dimensions.forEach((d, di) => {
      if (dims.has(d) && !q.keyPoints.some((k) => k.dimension === d))
        issues.push({ file, path: `questions[${qi}].dimensions[${di}]`, message: `no key point checks "${d}": add one or drop the dimension` });
    });
    q.misconceptions.forEach((m, mi) => {
      if (!applicable.has(m.dimension)) {
        issues.push({ file, path: `questions[${qi}].misconceptions[${mi}].dimension`, message: `"${m.dimension}" is not a dimension this question is scored on` });
      }
    });
    q.keyPoints.forEach((k, ki) => {
      if (dims.has(k.dimension) && !applicable.has(k.dimension)) {
        issues.push({ file, path: `questions[${qi}].keyPoints[${ki}].dimension`, message: `"${k.dimension}" is not in this question's dimensions` });
      }
      if (!dims.has(k.dimension)) {
        issues.push({
          file,
          path: `questions[${qi}].keyPoints[${ki}].dimension`,
          message: `unknown rubric dimension "${k.dimension}" (this round has: ${[...dims].join(", ")})`,
        });
      }
    });
    for (const [field, pats] of [
      ...q.keyPoints.map((k, ki) => [`questions[${qi}].keyPoints[${ki}].match`, k.match] as const),
      ...q.misconceptions.map((m, mi) => [`questions[${qi}].misconceptions[${mi}].match`, m.match] as const),
    ]) {
      pats.forEach((p, pi) => {
        try {
          new RegExp(p, "i");
        } catch (e) {
          issues.push({ file, path: `${field}[${pi}]`, message: `invalid regular expression: ${(e as Error).message}` });
        }
      });
    }
  });
  round.signals.forEach((s, si) =>
    s.match.forEach((p, pi) => {
      try {
        new RegExp(p, "i");
      } catch (e) {
        issues.push({ file, path: `signals[${si}].match[${pi}]`, message: `invalid regular expression: ${(e as Error).message}` });
      }
    }),
  );
  return issues;
}

function zodIssues(file: string, error: z.ZodError): ContentIssue[] {
  return error.issues.map((i) => ({ file, path: formatPath(i.path), message: i.message }));
}

/** Where parsed round files are cached (see yaml-cache.ts): beside the package's node_modules. */
const DEFAULT_CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../node_modules/.cache/interview-coach/rounds");

/** Reads and validates every `rounds/*.yaml`; collects all problems before failing. */
export function loadRounds(dir: string, options: LoadOptions = {}): Round[] {
  return loadRoundFiles(dir, options).map((r) => r.round);
}

interface LoadOptions {
  /** Where parsed YAML is cached; false reads every file afresh. */
  cacheDir?: string | false;
}

/** As loadRounds, keeping each round's file (for reports that point at a line to fix). */
export function loadRoundFiles(dir: string, options: LoadOptions = {}): Array<{ round: Round; file: string }> {
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? DEFAULT_CACHE_DIR);
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const issues: ContentIssue[] = [];
  const rounds: Array<{ round: Round; file: string }> = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    const yaml = parseYamlCached(readFileSync(file, "utf8"), cacheDir);
    if (!yaml.ok) {
      issues.push(...yaml.errors.map((message) => ({ file, path: "", message: `YAML: ${message}` })));
      continue;
    }
    const parsed = roundSchema.safeParse(yaml.value);
    if (!parsed.success) {
      issues.push(...zodIssues(file, parsed.error));
      continue;
    }
    issues.push(...checkReferences(parsed.data, file, seen));
    rounds.push({ round: parsed.data, file });
  }
  for (const required of ROUND_IDS) {
    if (!files.some((f) => f.replace(/\.ya?ml$/, "") === required)) {
      issues.push({ file: join(dir, `${required}.yaml`), path: "", message: "required round file is missing" });
    }
  }
  if (issues.length > 0) throw new ContentError(issues);
  return rounds.sort((a, b) => a.round.order - b.round.order);
}

export type { Question, Round };
