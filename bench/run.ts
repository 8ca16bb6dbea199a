/** `npm run bench`: every part prints plain lines with ratios measured in the same run. */
import { runCoreBench } from "./core.js";
import { runJudgeBench } from "./judge.js";
import { runScaleBench } from "./scale.js";
import { runScheduleBench } from "./schedule.js";
import { runStartupBench } from "./startup.js";
import { runStorageBench } from "./storage.js";

const parts: [string, () => Promise<void>][] = [
  ["core loop", runCoreBench],
  ["code judge", runJudgeBench],
  ["schedule", runScheduleBench],
  ["startup", runStartupBench],
  ["scale", runScaleBench],
  ["storage", runStorageBench],
];
const only = process.argv[2];
for (const [name, run] of parts) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
