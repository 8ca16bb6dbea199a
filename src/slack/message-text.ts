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

/**
 * Slack sends message text with `&`, `<`, `>` escaped and links as `<url|label>`; the grader and the
 * judge need what the person typed.
 */
export function slackTextToPlain(text: string): string {
  return unescapeSlack(undoAutoLinks(text));
}
