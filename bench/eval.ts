/**
 * `npm run eval`: grades the labelled set in test/fixtures/eval/ with the offline check and, when
 * OPENAI_API_KEY (and optionally OPENAI_BASE_URL / OPENAI_MODEL) is configured, with the LLM critic,
 * and prints per variant the share of pairs where the strong answer scored above the other one.
 * Exit code 1 when the offline check misses a target.
 */
import "dotenv/config";
import { loadConfig } from "../src/config.js";
import { QuestionBank } from "../src/engine/content/bank.js";
import { loadRounds } from "../src/engine/content/load.js";
import { contentPaths } from "../src/engine/content/paths.js";
import { createGrader } from "../src/engine/grading/grader.js";
import { OfflineGrader } from "../src/engine/grading/offline.js";
import { formatScores, formatSummary, gradeEvalSet, loadEvalSet, missedTargets, OFFLINE_TARGETS, summarise } from "./eval-set.js";

const config = loadConfig();
const { roundsDir, promptsDir } = contentPaths();
const bank = new QuestionBank(loadRounds(roundsDir));
const items = loadEvalSet(bank);
const rounds = new Set(items.map((i) => i.roundId));
console.log(`Eval set: ${items.length} questions over ${rounds.size} rounds, ${items.length * 7} answers.\n`);

const offline = summarise(await gradeEvalSet(bank, new OfflineGrader(), items));
const verbose = process.argv.includes("--verbose");
console.log(formatSummary("Offline check (key-point coverage)", offline, OFFLINE_TARGETS));
if (verbose) console.log(formatScores(offline));
const missed = missedTargets(offline);
console.log(missed.length === 0 ? "  all offline targets met\n" : `  MISSED: ${missed.join("; ")}\n`);

if (config.llm) {
  const grader = createGrader({ llm: config.llm, promptsDir, logger: { warn: (m) => console.error(m) } });
  const graded = await gradeEvalSet(bank, grader, items);
  const fallbacks = graded.flatMap((g) => Object.values(g.critiques)).filter((c) => c.grader !== "llm").length;
  const llm = summarise(graded);
  console.log(formatSummary(`LLM critic (${config.llm.model})`, llm));
  if (verbose) console.log(formatScores(llm));
  if (fallbacks > 0) console.log(`  ${fallbacks} answers fell back to the offline check (LLM errors)`);
} else {
  console.log("LLM critic: not configured (set OPENAI_API_KEY, and OPENAI_BASE_URL for a compatible server).");
}
process.exitCode = missed.length === 0 ? 0 : 1;
