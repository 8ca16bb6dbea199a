import type { CodeSubmission } from "../engine/interview/service.js";

/** Placeholder until the judge's extractor is wired in. */
export function codeFromMessage(_reply: { text?: string; blocks?: unknown[] }): CodeSubmission | undefined {
  return undefined;
}
