import type { Config } from "../config.js";
import type { CodeRunner } from "../engine/interview/service.js";
import type { Logger } from "./engine.js";

/** Placeholder until the sandboxed judge is wired in. */
export async function createCodeRunner(_config: Config, _logger: Logger): Promise<CodeRunner | undefined> {
  return undefined;
}
