/**
 * Finds the candidate's code in a Slack message (pure functions; the message shape is structural so the
 * engine needs no Slack types). Code blocks come from the rich-text blocks when the message has them,
 * else from ``` fences in the text. Slack's escaping (&lt; &gt; &amp;) and auto-links are undone.
 */
import type { Language } from "./types.js";

/** The parts of a Slack message this module reads; everything else is ignored. */
export interface SlackMessageLike {
  text?: string;
  blocks?: unknown[];
}

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

/** Slack escapes exactly these three; one pass, so "&amp;lt;" becomes "&lt;" and not "<". */
export function unescapeSlack(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_, name: string) => (name === "lt" ? "<" : name === "gt" ? ">" : "&"));
}

/** <http://words.txt|words.txt> → words.txt, <mailto:a@b.c|a@b.c> → a@b.c, <http://x.y> → http://x.y. */
export function undoAutoLinks(text: string): string {
  return text.replace(/<((?:https?|mailto|ftp|tel):[^>|\s]*)(?:\|([^>]*))?>/g, (_, url: string, label?: string) =>
    label !== undefined ? label : url.replace(/^mailto:/, ""),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text of one rich-text leaf element as it appeared to the author. */
function leafText(element: Record<string, unknown>): string {
  switch (element.type) {
    case "text":
      return typeof element.text === "string" ? element.text : "";
    case "link": {
      if (typeof element.text === "string" && element.text) return element.text;
      return typeof element.url === "string" ? element.url.replace(/^mailto:/, "") : "";
    }
    case "emoji":
      return typeof element.name === "string" ? `:${element.name}:` : "";
    case "user":
      return typeof element.user_id === "string" ? `@${element.user_id}` : "";
    case "channel":
      return typeof element.channel_id === "string" ? `#${element.channel_id}` : "";
    default:
      return typeof element.text === "string" ? element.text : "";
  }
}

/** Every rich_text_preformatted element of every rich_text block, in order. */
function preformattedFromBlocks(blocks: unknown[]): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (!isRecord(node)) return;
    if (node.type === "rich_text_preformatted" && Array.isArray(node.elements)) {
      found.push(node.elements.filter(isRecord).map(leafText).join(""));
      return;
    }
    if (Array.isArray(node.elements)) node.elements.forEach(visit);
  };
  blocks.filter((b) => isRecord(b) && b.type === "rich_text").forEach(visit);
  return found;
}

function fencedFromText(text: string): string[] {
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

function fromCodeBlocks(rawBlocks: string[], plainText: string, hint: Language | undefined): ExtractionResult {
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

/**
 * The candidate's code and its language from a Slack message. `hint` is the language to assume when
 * neither a fence tag nor a signature tells (for example the language picked earlier in the thread).
 */
export function extractCode(message: SlackMessageLike, hint?: Language): ExtractionResult {
  const fromBlocks = Array.isArray(message.blocks) ? preformattedFromBlocks(message.blocks) : [];
  const rawBlocks = fromBlocks.length > 0 ? fromBlocks : fencedFromText(message.text ?? "");
  const plainText = unescapeSlack(undoAutoLinks(message.text ?? ""));
  return fromCodeBlocks(
    rawBlocks.map((block) => unescapeSlack(undoAutoLinks(block))),
    plainText,
    hint,
  );
}

/** Same rules for text typed in a terminal (no Slack escaping): ``` fences only. */
export function extractCodeFromText(text: string, hint?: Language): ExtractionResult {
  return fromCodeBlocks(fencedFromText(text), text, hint);
}

/** The console's shortcut: the code and its language, or undefined when there is none to run. */
export function codeFromPlainText(text: string, hint?: Language): { language: Language; source: string } | undefined {
  const found = extractCodeFromText(text, hint);
  return found.kind === "code" ? { language: found.language, source: found.source } : undefined;
}
