import { QuestionBank } from "../engine/content/bank.js";
import { loadRounds } from "../engine/content/load.js";
import { contentPaths } from "../engine/content/paths.js";
import { roundLine } from "../console/args.js";

/** `cli questions [round]`: question ids, for use with `grade` and `judge`. */
export function runQuestionsCommand(argv: string[]): number {
  const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
  const round = argv[0] ? bank.findRound(argv[0]) : undefined;
  if (argv[0] && !round) {
    console.error(`Unknown round "${argv[0]}". Rounds: ${bank.rounds.map((r) => r.aliases[0] ?? r.id).join(", ")} (interview-coach questions mlsd)`);
    return 2;
  }
  for (const r of round ? [round] : bank.rounds) {
    console.log(roundLine(r));
    for (const q of r.questions) console.log(`  ${q.id.padEnd(34)} ${q.difficulty.padEnd(6)} ${q.prompt.split("\n")[0]!.slice(0, 80)}`);
  }
  return 0;
}
