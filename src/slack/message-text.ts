/**
 * Slack sends message text with `&`, `<`, `>` escaped and links as `<url|label>`; the grader and the
 * judge need what the person typed.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<(?:mailto:|tel:)?[^|<>\s]+\|([^<>]+)>/g, "$1")
    .replace(/<((?:https?|mailto|tel):[^<>\s]+)>/g, (_, url: string) => url.replace(/^(?:mailto|tel):/, ""))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
