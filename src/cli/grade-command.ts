import { parseArgs } from "node:util";
import type { Config } from "../config.js";
import { QuestionBank } from "../engine/content/bank.js";
import { loadRounds } from "../engine/content/load.js";
import { contentPaths } from "../engine/content/paths.js";
import { createGrader } from "../engine/grading/grader.js";
import { renderCritique } from "../console/render.js";
import { InputFileError, readInputFile } from "./input-file.js";

export const GRADE_USAGE = "interview-coach grade --question <id> --file <answer.txt> [--json]";

/** `cli grade`: grades an answer file as the bot would (LLM when configured, else offline). Returns the exit code. */
export async function runGradeCommand(argv: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { question: { type: "string", short: "q" }, file: { type: "string", short: "f" }, json: { type: "boolean" } },
    strict: true,
  });
  if (!values.question || !values.file) {
    console.error(`grade: missing ${!values.question ? "--question" : "--file"} (usage: ${GRADE_USAGE})`);
    return 2;
  }
  const { roundsDir, promptsDir } = contentPaths();
  const bank = new QuestionBank(loadRounds(roundsDir));
  const ref = bank.find(values.question);
  if (!ref) {
    console.error(`grade: Unknown question "${values.question}". List them with: interview-coach questions`);
    return 2;
  }
  let answer: string;
  try {
    answer = await readInputFile(values.file);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    console.error(`grade: ${e.message}`);
    return 2;
  }
  const grader = createGrader({ llm: config.llm, promptsDir, logger: { warn: (m) => console.error(m) } });
  const critique = await grader.grade({ round: ref.round, question: ref.question, answer });
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          question: ref.question.id,
          round: ref.round.id,
          grader: critique.grader,
          /** Key-point coverage (1–4) when grader is "offline"; then signal is null. */
          overall: critique.overall,
          overallKind: critique.grader === "offline" ? "coverage" : "rubric",
          signal: critique.signal,
          dimensions: critique.dimensions.map((d) => ({ id: d.id, score: d.score, evidence: d.evidence, justification: d.justification })),
          strengths: critique.strengths,
          gaps: critique.gaps,
          corrections: critique.corrections,
          ...(critique.relevance ? { relevance: critique.relevance } : {}),
          followUp: critique.followUp,
          injectionSuspected: critique.injectionSuspected,
          fallbackReason: critique.fallbackReason,
          note: critique.note,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(`${ref.round.title} · ${ref.question.id}\n`);
    console.log(renderCritique(critique));
  }
  return 0;
}
