/**
 * Escapes untrusted text for Slack mrkdwn: `&`, `<` and `>` are the control characters Slack
 * requires escaped, which also neutralises <!channel>, <@U…> and link syntax in user text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Block Kit rejects section text over 3,000 characters; cut at a word boundary and say so. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 2);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** A quote from the candidate's answer, escaped and kept short enough to scan. */
export function quote(text: string, max = 280): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
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

export const SECTION_LIMIT = 3000;
