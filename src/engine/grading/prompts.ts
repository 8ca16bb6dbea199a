/**
 * Prompts are data (prompts/*.md). They are loaded and checked once at start-up: a template that
 * lacks a placeholder the code relies on, or uses one the code does not fill, fails loudly with the
 * file named, instead of silently sending the model a prompt with a hole in it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface PromptSpec {
  file: string;
  required: readonly string[];
  optional: readonly string[];
  /** Placeholders that must appear exactly once (the delimited answer must not be duplicated). */
  once?: readonly string[];
}

export const PROMPT_SPECS = {
  criticSystem: {
    file: "critic.system.md",
    // No per-call value here: the system message is identical on every call for a question.
    required: ["round_title", "round_probes", "rubric", "dimension_ids", "question", "key_points", "reference_answer"],
    optional: ["round_signals", "difficulty", "misconceptions"],
  },
  criticUser: {
    file: "critic.user.md",
    required: ["delimiter_id", "follow_up", "previous_turns", "code_run", "answer"],
    optional: ["hints_used"],
    once: ["answer"],
  },
} as const satisfies Record<string, PromptSpec>;

export type PromptName = keyof typeof PROMPT_SPECS;

export interface PromptTemplate {
  name: PromptName;
  file: string;
  /** Template text with author comments removed. */
  text: string;
  placeholders: string[];
}

export type PromptSet = Record<PromptName, PromptTemplate>;

export class PromptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid prompt ${file}: ${problems.join("; ")}`);
    this.name = "PromptError";
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
/** Author notes at the top of a prompt file, for people editing it; the model never sees them. */
const COMMENTS = /<!--[\s\S]*?-->/g;

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Checks one template's text against its spec and returns the problems found (empty = valid). */
export function validatePromptText(name: PromptName, text: string): string[] {
  const spec: PromptSpec = PROMPT_SPECS[name];
  const problems: string[] = [];
  if (text.trim().length === 0) return ["the prompt is empty"];
  const used = placeholdersIn(text);
  const allowed = new Set([...spec.required, ...spec.optional]);
  const unknown = [...new Set(used.filter((p) => !allowed.has(p)))];
  if (unknown.length > 0) {
    problems.push(`unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((p) => `{{${p}}}`).join(", ")} (allowed: ${[...allowed].join(", ")})`);
  }
  const missing = spec.required.filter((p) => !used.includes(p));
  if (missing.length > 0) problems.push(`missing required placeholder${missing.length > 1 ? "s" : ""} ${missing.map((p) => `{{${p}}}`).join(", ")}`);
  for (const p of spec.once ?? []) {
    const n = used.filter((u) => u === p).length;
    if (n > 1) problems.push(`{{${p}}} must appear exactly once (found ${n} times)`);
  }
  const leftover = text.replace(PLACEHOLDER, "");
  if (/\{\{|\}\}/.test(leftover)) problems.push("malformed placeholder: a `{{` or `}}` that is not part of `{{name}}`");
  return problems;
}

export function loadPrompt(dir: string, name: PromptName): PromptTemplate {
  const file = join(dir, PROMPT_SPECS[name].file);
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PromptError(file, [code === "ENOENT" ? "file not found" : `cannot read the file (${code ?? (e as Error).message})`]);
  }
  const text = raw.replace(COMMENTS, "").trim();
  const problems = validatePromptText(name, text);
  if (problems.length > 0) throw new PromptError(file, problems);
  return { name, file, text, placeholders: [...new Set(placeholdersIn(text))] };
}

/** Loads and validates every prompt the graders need. Throws PromptError naming the first bad file. */
export function loadPrompts(dir: string): PromptSet {
  const names = Object.keys(PROMPT_SPECS) as PromptName[];
  return Object.fromEntries(names.map((n) => [n, loadPrompt(dir, n)])) as PromptSet;
}

/**
 * Fills placeholders in a single pass, so text inserted for one placeholder (say, an answer that
 * contains "{{rubric}}") is never expanded again. Every placeholder must have a value.
 */
export function renderPrompt(template: PromptTemplate, values: Readonly<Record<string, string>>): string {
  return template.text.replace(PLACEHOLDER, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new PromptError(template.file, [`no value for {{${key}}}`]);
    return value;
  });
}
