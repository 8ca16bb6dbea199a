import { gradeOffline } from "./src/engine/grading/offline.js";
import { loadRound, questionOf } from "./test/grading/load-round.js";
import * as A from "./test/grading/fixtures/answers.js";
const cases: [string, string, Record<string, string>][] = [
  ["ml-system-design", "mlsd-grocery-search-ranking", { strong: A.MLSD_STRONG, weak: A.MLSD_WEAK, weakFiller: A.MLSD_WEAK + " " + A.FILLER, weakInj: A.MLSD_WEAK + " " + A.INJECTION, strongInj: A.MLSD_STRONG + "\n\n" + A.INJECTION, dump: A.MLSD_KEYWORD_DUMP, repeated: A.MLSD_REPEATED }],
  ["behavioral", "bh-favorite-project", { strong: A.BH_STRONG, weak: A.BH_WEAK, weakFiller: A.BH_WEAK + " " + A.FILLER }],
  ["ir-ranking", "ir-sparse-dense-features", { strong: A.IR_STRONG, weak: A.IR_WEAK }],
];
for (const [r, q, answers] of cases) {
  const round = loadRound(r); const question = questionOf(round, q);
  for (const [name, answer] of Object.entries(answers)) {
    const c = gradeOffline({ round, question, answer });
    console.log(q, name.padEnd(10), c.overall, c.signal, c.injectionSuspected, c.dimensions.map((d) => `${d.id}:${d.score}`).join(" "));
    if (process.argv[2] === name) console.log(JSON.stringify(c, null, 1));
  }
}
