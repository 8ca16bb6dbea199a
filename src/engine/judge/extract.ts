/**
 * Finds the candidate's code in an answer: code blocks, the language from a fence tag, the signature or
 * a hint. Chat adapters turn their message formats into code blocks first (see src/slack/message-code.ts).
 */
import type { Language } from "./types.js";

export type ExtractionResult =
  | { kind: "code"; language: Language; source: string; languageFrom: "fence" | "signature" | "hint" }
  /** A fence named a language the judge does not run (```java). */
  | { kind: "unsupported_language"; language: string; source: string }
  /** Code found, but neither a fence tag, a signature nor the hint says which language. */
  | { kind: "unknown_language"; source: string }
  /** No code block at all; `looksLikeCode` when the text itself reads like unfenced code. */
  | { kind: "no_code"; looksLikeCode: boolean };

export type ExtractedCode = Extract<ExtractionResult, { kind: "code" }>;

const LANGUAGE_TAGS: Record<string, Language> = {
  python: "python",
  python3: "python",
  py: "python",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  nodejs: "javascript",
};

/** The contents of ``` fences, in order. */
export function fencedFromText(text: string): string[] {
  return [...text.matchAll(/```([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

/** Slack shows ```python as a first line "python" inside the block: take it as the language tag. */
function splitLanguageTag(block: string): { tag?: string; code: string } {
  const match = /^[ \t]*([A-Za-z][\w+#-]*)[ \t]*\n/.exec(block);
  if (!match || !match[1]) return { code: block };
  const word = match[1].toLowerCase();
  const known = LANGUAGE_TAGS[word];
  const looksLikeTag = known !== undefined || /^(java|c|cpp|c\+\+|go|golang|rust|ruby|rb|ts|typescript|kotlin|scala|swift|csharp|c#|sql|bash|sh)$/.test(word);
  return looksLikeTag ? { tag: word, code: block.slice(match[0].length) } : { code: block };
}

export function languageFromSignature(source: string): Language | undefined {
  if (/^\s*(?:async\s+)?def\s+\w+\s*\(/m.test(source)) return "python";
  if (/\bfunction\b\s*\w*\s*\(|=>|^\s*(?:const|let|var)\s+\w+\s*=/m.test(source)) return "javascript";
  if (/^\s*(?:import\s+\w+|from\s+\w+\s+import\b|class\s+\w+\s*[:(])/m.test(source)) return "python";
  return undefined;
}

function normalize(code: string): string {
  return code
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .replace(/^\s*\n/, "")
    .replace(/\s+$/, "")
    .concat("\n");
}

/** The code and its language from code blocks (fence tag, else signature, else hint). */
export function codeFromBlocks(rawBlocks: string[], plainText: string, hint: Language | undefined): ExtractionResult {
  const blocks = rawBlocks.filter((block) => block.trim() !== "");
  if (blocks.length === 0) {
    return { kind: "no_code", looksLikeCode: languageFromSignature(plainText) !== undefined && /\n/.test(plainText.trim()) };
  }
  let tag: string | undefined;
  const parts = blocks.map((block) => {
    const split = splitLanguageTag(block);
    tag ??= split.tag;
    return split.code;
  });
  const source = normalize(parts.join("\n\n"));
  if (tag !== undefined) {
    const language = LANGUAGE_TAGS[tag];
    return language ? { kind: "code", language, source, languageFrom: "fence" } : { kind: "unsupported_language", language: tag, source };
  }
  const fromSignature = languageFromSignature(source);
  if (fromSignature) return { kind: "code", language: fromSignature, source, languageFrom: "signature" };
  if (hint) return { kind: "code", language: hint, source, languageFrom: "hint" };
  return { kind: "unknown_language", source };
}

/** Same rules for text typed in a terminal (no Slack escaping): ``` fences only. */
export function extractCodeFromText(text: string, hint?: Language): ExtractionResult {
  return codeFromBlocks(fencedFromText(text), text, hint);
}

/** The console's shortcut: the code and its language, or undefined when there is none to run. */
export function codeFromPlainText(text: string, hint?: Language): { language: Language; source: string } | undefined {
  const found = extractCodeFromText(text, hint);
  return found.kind === "code" ? { language: found.language, source: found.source } : undefined;
}
