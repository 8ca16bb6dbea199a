import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { contentPaths } from "../../src/engine/content/paths.js";
import { buildCriticMessages } from "../../src/engine/grading/critic-messages.js";
import { createGrader } from "../../src/engine/grading/grader.js";
import { loadPrompts, PROMPT_SPECS, PromptError, renderPrompt } from "../../src/engine/grading/prompts.js";
import { loadRound, questionOf } from "./load-round.js";

const { promptsDir } = contentPaths();
const dirs: string[] = [];

/** A copy of the real prompts directory with one file replaced (or removed when text is null). */
function promptsWith(file: string, text: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "prompts-"));
  dirs.push(dir);
  for (const spec of Object.values(PROMPT_SPECS)) writeFileSync(join(dir, spec.file), readFileSync(join(promptsDir, spec.file), "utf8"));
  if (text === null) rmSync(join(dir, file));
  else writeFileSync(join(dir, file), text);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("prompts as data", () => {
  it("loads the shipped prompts and strips the authors' comments", () => {
    const prompts = loadPrompts(promptsDir);
    expect(prompts.criticSystem.placeholders).toEqual(expect.arrayContaining([...PROMPT_SPECS.criticSystem.required]));
    expect(prompts.criticUser.placeholders).toEqual(expect.arrayContaining([...PROMPT_SPECS.criticUser.required]));
    expect(prompts.criticSystem.text).not.toContain("<!--");
  });

  it("names the file when a prompt is missing", () => {
    const dir = promptsWith("critic.user.md", null);
    expect(() => loadPrompts(dir)).toThrow(PromptError);
    expect(() => loadPrompts(dir)).toThrow(/critic\.user\.md: file not found/);
  });

  it("rejects a template without a required placeholder, naming file and placeholder", () => {
    const text = readFileSync(join(promptsDir, "critic.user.md"), "utf8").replaceAll("{{delimiter_id}}", "XYZ");
    const dir = promptsWith("critic.user.md", text);
    expect(() => loadPrompts(dir)).toThrow(/critic\.user\.md: missing required placeholder \{\{delimiter_id\}\}/);
    const system = readFileSync(join(promptsDir, "critic.system.md"), "utf8").replaceAll("{{rubric}}", "");
    expect(() => loadPrompts(promptsWith("critic.system.md", system))).toThrow(/critic\.system\.md: missing required placeholder \{\{rubric\}\}/);
  });

  it("rejects unknown placeholders, including the answer in the system prompt", () => {
    const base = readFileSync(join(promptsDir, "critic.system.md"), "utf8");
    expect(() => loadPrompts(promptsWith("critic.system.md", `${base}\n{{candidate_name}}`))).toThrow(/unknown placeholder \{\{candidate_name\}\}/);
    expect(() => loadPrompts(promptsWith("critic.system.md", `${base}\n{{answer}}`))).toThrow(/critic\.system\.md: unknown placeholder \{\{answer\}\}/);
    // A per-call value in the system prompt would make it differ between calls.
    expect(() => loadPrompts(promptsWith("critic.system.md", `${base}\n{{delimiter_id}}`))).toThrow(/critic\.system\.md: unknown placeholder \{\{delimiter_id\}\}/);
  });

  it("rejects the answer twice in the user prompt and malformed braces", () => {
    const base = readFileSync(join(promptsDir, "critic.user.md"), "utf8");
    expect(() => loadPrompts(promptsWith("critic.user.md", `${base}\n{{answer}}`))).toThrow(/\{\{answer\}\} must appear exactly once/);
    expect(() => loadPrompts(promptsWith("critic.user.md", `${base}\n{{ question`))).toThrow(/malformed placeholder/);
  });

  it("stops createGrader at start-up when a prompt is invalid", () => {
    const dir = promptsWith("critic.user.md", "{{question}}");
    expect(() => createGrader({ promptsDir: dir })).toThrow(/critic\.user\.md/);
  });

  it("fills placeholders once: text inside a value is never expanded", () => {
    const prompts = loadPrompts(promptsDir);
    const round = loadRound("ml-system-design");
    const question = questionOf(round, "mlsd-grocery-search-ranking");
    const { user, system } = buildCriticMessages(prompts, { round, question, answer: "My answer mentions {{rubric}} and {{reference_answer}}." });
    expect(user).toContain("My answer mentions {{rubric}} and {{reference_answer}}.");
    expect(user).not.toContain(question.referenceAnswer);
    expect(system).toContain(question.referenceAnswer);
    expect(() => renderPrompt(prompts.criticUser, { question: "q" })).toThrow(/no value for/);
  });
});
