import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The YAML parser is loaded only on a cache miss: importing it alone costs ~0.2 s of start-up. */
const loadYaml = () => createRequire(import.meta.url)("yaml") as typeof import("yaml");

/**
 * YAML parsing of the round files is most of the app's start-up time (~0.5 MB of text). The parsed
 * value of each file is kept as JSON under `node_modules/.cache/interview-coach/`, keyed by a hash of
 * the file's exact text: an edited file has a new hash and is parsed again, so the cache can never
 * serve stale content. Validation (zod, references) still runs on every load.
 */
export type ParsedYaml = { ok: true; value: unknown } | { ok: false; errors: string[] };

export function parseYamlCached(text: string, cacheDir: string | undefined): ParsedYaml {
  const key = createHash("sha256").update(text).digest("hex");
  const cached = cacheDir ? join(cacheDir, `${key}.json`) : undefined;
  if (cached) {
    try {
      return { ok: true, value: JSON.parse(readFileSync(cached, "utf8")) };
    } catch {
      // Not cached yet (or unreadable): parse below.
    }
  }
  const doc = loadYaml().parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => e.message) };
  const value = doc.toJS();
  if (cached && cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(value));
      renameSync(temp, cached);
    } catch {
      // A read-only install still works, only slower to start.
    }
  }
  return { ok: true, value };
}
