import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Content ships with the code; these resolve from the package root, not the working directory. */
export function contentPaths(): { root: string; roundsDir: string; promptsDir: string } {
  return { root, roundsDir: resolve(root, "rounds"), promptsDir: resolve(root, "prompts") };
}
