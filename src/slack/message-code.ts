import type { CodeSubmission } from "../engine/interview/service.js";
import { extractCode, type ExtractionResult } from "../engine/judge/index.js";

/** The candidate's code from a Slack reply (rich-text code blocks, else ``` fences), with why there is none. */
export function codeFromMessage(reply: { text?: string; blocks?: unknown[] }): { code?: CodeSubmission; extraction: ExtractionResult } {
  const extraction = extractCode(reply);
  return extraction.kind === "code" ? { code: { language: extraction.language, source: extraction.source }, extraction } : { extraction };
}
