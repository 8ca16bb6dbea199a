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

/**
 * JSON text of `value`, but never more than `limit` characters: an explicit stack instead of recursion
 * (no stack overflow however deep) and an early stop once the limit is reached (no work proportional to a
 * huge value). `complete` says whether the whole value fit.
 */
export function boundedJson(value: unknown, limit: number): { text: string; complete: boolean } {
  let text = "";
  /** Open containers: the keys (objects) or the array, and the index of the next member to write. */
  const open: Array<{ array?: unknown[]; object?: Record<string, unknown>; keys?: string[]; next: number }> = [];
  let pending: { value: unknown } | undefined = { value };
  while (text.length <= limit) {
    if (pending) {
      const v = pending.value;
      pending = undefined;
      if (Array.isArray(v)) {
        text += "[";
        open.push({ array: v, next: 0 });
      } else if (v !== null && typeof v === "object") {
        text += "{";
        open.push({ object: v as Record<string, unknown>, keys: Object.keys(v), next: 0 });
      } else {
        text += JSON.stringify(v) ?? "null";
      }
      continue;
    }
    const top = open[open.length - 1];
    if (!top) return { text, complete: true };
    const length = top.array ? top.array.length : top.keys!.length;
    if (top.next >= length) {
      text += top.array ? "]" : "}";
      open.pop();
      continue;
    }
    const i = top.next++;
    if (i > 0) text += ",";
    if (top.array) pending = { value: top.array[i] };
    else {
      const key = top.keys![i] as string;
      text += `${JSON.stringify(key)}:`;
      pending = { value: top.object![key] };
    }
  }
  return { text: text.slice(0, limit), complete: false };
}

/** A short preview of a value for display: the value itself when its JSON is short, else truncated JSON. */
export function preview(value: unknown, maxChars = 500): unknown {
  const { text, complete } = boundedJson(value, maxChars);
  if (complete && text.length <= maxChars) return value;
  return `${text.slice(0, maxChars - 1)}… (truncated)`;
}
