/** Text from inside the sandbox (tracebacks, stderr) made safe and short enough to show a user. */

const MAX_LINES = 30;
const MAX_CHARS = 2_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Removes paths that reveal the judge's layout (the harness, the sandbox's /tmp, the host's working
 * directory in unsandboxed mode), control characters and excess length. Keeps the candidate's own
 * `solution.py` / `solution.js` references, which is what they need to find the bug.
 */
export function cleanTrace(text: string, extraPaths: readonly string[] = []): string {
  let out = text.replace(/\r\n?/g, "\n");
  for (const path of extraPaths) {
    if (path) out = out.replace(new RegExp(escapeRegExp(path.replace(/\/$/, "")) + "/?", "g"), "");
  }
  out = out
    .replace(/\/judge\/harness\.(?:py|cjs)/g, "<judge>")
    .replace(/(?:\/[\w.+-]+)*\/(?:python_harness\.py|javascript_harness\.cjs)/g, "<judge>")
    .replace(/\/tmp\/[\w./-]*/g, "<tmp>")
    .replace(/node:internal\/[\w/.-]+(?::\d+){0,2}/g, "node:internal")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
  let lines = out.split("\n");
  if (lines.length > MAX_LINES) lines = [...lines.slice(0, 5), "…", ...lines.slice(-(MAX_LINES - 6))];
  out = lines.join("\n").trim();
  return out.length > MAX_CHARS ? `${out.slice(0, MAX_CHARS - 1)}…` : out;
}

/** A short preview of a value for display: JSON, truncated. */
export function preview(value: unknown, maxChars = 500): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  if (text.length <= maxChars) return value;
  return `${text.slice(0, maxChars - 1)}… (${text.length} characters)`;
}
