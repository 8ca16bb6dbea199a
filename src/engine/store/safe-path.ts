/** A file name for an id: Slack ids and timestamps are [A-Z0-9.] and pass as they are; anything else is encoded, so a path can never escape the data dir. */
export function safeSegment(value: string): string {
  return /^[A-Za-z0-9._-]+$/.test(value) && !/^\.+$/.test(value) ? value : encodeURIComponent(value).replace(/\./g, "%2E");
}
