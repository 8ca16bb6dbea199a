/**
 * The candidate's code from a Slack reply: code blocks come from the rich-text blocks when the message
 * has them, else from ``` fences in the text; Slack's escaping and auto-links are undone first.
 */
import type { CodeSubmission } from "../engine/interview/service.js";
import { codeFromBlocks, fencedFromText, type ExtractionResult, type Language } from "../engine/judge/index.js";
import { slackTextToPlain } from "./message-text.js";

/** The parts of a Slack message this module reads; everything else is ignored. */
export interface SlackMessageLike {
  text?: string;
  blocks?: unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text of one rich-text leaf element as it appeared to the author. */
function leafText(element: Record<string, unknown>): string {
  switch (element.type) {
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

/**
 * The code and its language from a Slack message. `hint` is the language to assume when neither a
 * fence tag nor a signature tells.
 */
export function extractCode(message: SlackMessageLike, hint?: Language): ExtractionResult {
  const fromBlocks = Array.isArray(message.blocks) ? preformattedFromBlocks(message.blocks) : [];
  const rawBlocks = fromBlocks.length > 0 ? fromBlocks : fencedFromText(message.text ?? "");
  return codeFromBlocks(rawBlocks.map(slackTextToPlain), slackTextToPlain(message.text ?? ""), hint);
}

/** The submission to judge, with the extraction result so a reply can say why there is none. */
export function codeFromMessage(reply: SlackMessageLike): { code?: CodeSubmission; extraction: ExtractionResult } {
  const extraction = extractCode(reply);
  return extraction.kind === "code" ? { code: { language: extraction.language, source: extraction.source }, extraction } : { extraction };
}
