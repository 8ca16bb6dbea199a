import { readdirSync } from "node:fs";
import { loadRound } from "./test/grading/load-round.js";
import { splitSentences } from "./src/engine/grading/text.js";
import { isGraderDirected } from "./src/engine/grading/injection.js";
import { gradeOffline } from "./src/engine/grading/offline.js";
for (const f of readdirSync("rounds").filter((f) => f.endsWith(".yaml"))) {
  let round; try { round = loadRound(f.replace(".yaml", "")); } catch (e) { console.log("skip", f, (e as Error).message.slice(0, 100)); continue; }
  for (const q of round.questions) {
    for (const s of splitSentences(q.referenceAnswer)) if (isGraderDirected(s.text)) console.log("FLAG", q.id, s.text);
    const c = gradeOffline({ round, question: q, answer: q.referenceAnswer });
    console.log(q.id.padEnd(34), c.overall, c.dimensions.map((d) => d.score).join(""));
  }
}
