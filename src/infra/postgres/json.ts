/**
 * JSON text for a jsonb column. jsonb cannot hold U+0000 or an unpaired surrogate (the server rejects the
 * whole value), and neither carries meaning in an answer or a document: they are stored as U+FFFD, so a
 * reply containing one is still kept instead of being refused. Everything else is stored exactly.
 */
export function jsonForPostgres(value: unknown): string {
  return jsonTextForPostgres(JSON.stringify(value));
}

/** The same for text JSON.stringify produced. */
export function jsonTextForPostgres(json: string): string {
  // JSON.stringify writes both as escapes (\u0000, \udXXX for a lone surrogate; a valid pair stays raw), so
  // only an escape preceded by an even number of backslashes (not itself escaped text) is replaced.
  return json.replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, "$1\\ufffd");
}
