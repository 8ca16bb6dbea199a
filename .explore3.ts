import { loadRound, questionOf } from "./test/grading/load-round.js";
import { gradeOffline } from "./src/engine/grading/offline.js";
const [r, q] = process.argv.slice(2);
const round = loadRound(r!); const question = questionOf(round, q!);
const c = gradeOffline({ round, question, answer: question.referenceAnswer });
for (const d of c.dimensions) console.log(d.id, d.score, d.justification);
