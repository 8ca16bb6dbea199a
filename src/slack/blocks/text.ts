/**
 * The one place Slack text is escaped. Slack reads `&`, `<` and `>` as control characters in mrkdwn
 * and in a message's `text` fallback: `<time>` would vanish as a broken link, `<!channel>` would ping a
 * channel. Everything the app sends goes through `escapeMrkdwn` or the `mrkdwn` tag below; the only
 * `<…>` that reach Slack are the tokens built by `mention()` and `channelMention()`.
 */

/** A Slack control sequence the app means to send (`<@U123>`), inserted by `mrkdwn` as is. */
export class SlackToken {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const USER_ID = /^[UW][A-Z0-9]+$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]+$/;

/** `<@U123>`: Slack shows the person's name. Anything that is not a user id is shown as text. */
export function mention(userId: string): SlackToken | string {
  return USER_ID.test(userId) ? new SlackToken(`<@${userId}>`) : `@${userId}`;
}

/** `<#C123>`: Slack shows the channel's name. */
export function channelMention(channelId: string): SlackToken | string {
  return CHANNEL_ID.test(channelId) ? new SlackToken(`<#${channelId}>`) : `#${channelId}`;
}

/** Mrkdwn the caller has already built with this module, to nest inside `mrkdwn` without escaping twice. */
export function trusted(text: string): SlackToken {
  return new SlackToken(text);
}

/**
 * Slack tokens inside user text (a mention in an answer, quoted back) made readable:
 * `<@U123|ana>` → `@ana`, `<@U123>` → `@user`, `<!channel>` → `@channel`, `<#C1|general>` → `#general`,
 * `<!subteam^S1|@ml>` → `@ml`, `<https://x|label>` → `label`. Nothing else changes.
 */
export function readableTokens(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|([^>]*))?>/g, (_, name?: string) => `@${name || "user"}`)
    .replace(/<#[CG][A-Z0-9]+(?:\|([^>]*))?>/g, (_, name?: string) => `#${name || "channel"}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|@?([^>]*))?>/g, (_, name?: string) => `@${name || "group"}`)
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, (_, word: string) => `@${word}`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, (_, fallback: string) => fallback)
    .replace(/<((?:https?|mailto):[^>|\s]*)(?:\|([^>]*))?>/g, (_, url: string, label?: string) => label ?? url.replace(/^mailto:/, ""));
}

/**
 * Escapes any text for Slack mrkdwn and `text` fallbacks. Slack tokens in it (mentions in a quoted
 * answer) are first made readable, so a candidate's `<@U123>` reads `@user` instead of a raw token.
 */
export function escapeMrkdwn(text: string): string {
  return escapeLiteral(readableTokens(text));
}

/** Escapes text shown character for character (program output in a code block): tokens stay as typed. */
export function escapeLiteral(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Tagged template for mrkdwn: the literal parts (placeholders such as `<time>` in a usage line) and
 * every interpolated value are escaped; `SlackToken`s (`mention(id)`, `trusted(built)`) pass as is.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = escapeMrkdwn(strings[0]!);
  values.forEach((value, i) => {
    out += value instanceof SlackToken ? value.text : escapeMrkdwn(String(value));
    out += escapeMrkdwn(strings[i + 1]!);
  });
  return out;
}

/**
 * Cuts text to `max` characters at a word boundary, with an ellipsis. Apply it AFTER escaping: it
 * never splits an entity (`&lt;`) or a Slack token (`<@U123>`) in two.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const entity = /&[a-z]{0,4}$/.exec(cut);
  if (entity) cut = cut.slice(0, entity.index);
  const open = cut.lastIndexOf("<");
  if (open > cut.lastIndexOf(">")) cut = cut.slice(0, open);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** A quote from the candidate's answer, escaped and kept short enough to scan. */
export function quote(text: string, max = 280): string {
  const oneLine = readableTokens(text).replace(/\s+/g, " ").trim();
  return `“${escapeMrkdwn(truncate(oneLine, max))}”`;
}

/** ▰▰▰▱ for a 1–4 score. */
export function scoreBar(score: number, max = 4): string {
  const filled = Math.max(0, Math.min(max, Math.round(score)));
  return "▰".repeat(filled) + "▱".repeat(max - filled);
}

export const SIGNAL_LABELS = {
  "strong-no-hire": "Strong no hire",
  "no-hire": "No hire",
  hire: "Hire",
  "strong-hire": "Strong hire",
} as const;

/** Block Kit limits: a section's or context element's text, and a message's `text` fallback (Slack truncates past 40,000; 4,000 reads well in notifications). */
export const SECTION_LIMIT = 3000;
export const FALLBACK_LIMIT = 3000;

/** A mrkdwn section, its text (already escaped) cut to Slack's limit. */
export function section(text: string): { type: "section"; text: { type: "mrkdwn"; text: string } } {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SECTION_LIMIT) } };
}

/** A context block with one mrkdwn element (already escaped), cut to Slack's limit. */
export function context(text: string): { type: "context"; elements: [{ type: "mrkdwn"; text: string }] } {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(text, SECTION_LIMIT) }] };
}

/**
 * Splits long escaped mrkdwn into pieces of at most `max` characters for consecutive sections, at a
 * line break or a space where possible and never inside an entity or a token, so nothing is cut off.
 */
export function splitForSections(escaped: string, max = SECTION_LIMIT - 100): string[] {
  const pieces: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    let cut = Math.max(rest.lastIndexOf("\n", max), rest.lastIndexOf(" ", max));
    if (cut < max / 2) cut = max;
    const entity = /&[a-z]{0,4}$/.exec(rest.slice(0, cut));
    if (entity) cut = entity.index;
    const open = rest.lastIndexOf("<", cut);
    if (open > rest.lastIndexOf(">", cut) && open > 0) cut = open;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

/** A `text` fallback from content (a question prompt…): escaped, then cut. */
export function fallbackText(text: string, max = FALLBACK_LIMIT): string {
  return truncate(escapeMrkdwn(text), max);
}
