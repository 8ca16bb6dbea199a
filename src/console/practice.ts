/**
 * `npm run practice [-- --round mlsd]`: the same engine as the Slack app, in a terminal
 * (`-- --loop [--with-hm]` runs the full mock onsite instead: src/console/loop.ts).
 * An answer ends with a blank line (two for code, so code can contain blank lines) or Ctrl-D.
 */
import { userInfo } from "node:os";
import { createInterface, type Interface } from "node:readline";
import { parseArgs } from "node:util";
import type { Config } from "../config.js";
import { configFromEnvironment, consoleLogger } from "../app/env.js";
import { createEngine } from "../app/engine.js";
import { UnknownRoundError } from "../engine/interview/errors.js";
import type { ThreadRecord } from "../engine/store/records.js";
import { codeFromPlainText } from "../engine/judge/index.js";
import { runLoopConsole } from "./loop.js";
import { readReply } from "./read-answer.js";
import { renderAnswerOutcome } from "./render.js";

/** Words that act on the question instead of answering it, typed on a line of their own. */
const CONSOLE_COMMANDS = new Set(["hint", "skip", "next", "model", "model answer", "quit", "exit"]);

export async function runPracticeConsole(options: { config: Config; round?: string; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<void> {
  const out = options.output ?? process.stdout;
  const say = (text = "") => out.write(`${text}\n`);
  const quietLogger = { ...consoleLogger, info: () => undefined };
  const { interview } = await createEngine(options.config, quietLogger);
  const userId = `console-${userInfo().username}`;
  const rl: Interface = createInterface({ input: options.input ?? process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();

  say(`Interview practice · grader: ${interview.graderKind === "llm" ? "LLM" : "offline rubric check (set OPENAI_API_KEY for LLM critiques)"}`);
  say("Answer, then press Enter on an empty line (twice for code). Type `hint`, `skip`, `model` or `quit` on a line of its own.");

  for (;;) {
    let ref;
    try {
      ref = await interview.chooseQuestion(userId, options.round);
    } catch (e) {
      if (e instanceof UnknownRoundError) {
        say(`${e.message}. Example: npm run practice -- --round mlsd`);
        process.exitCode = 2;
        break;
      }
      throw e;
    }
    const thread: ThreadRecord = await interview.questionPosted({
      key: { channel: "console", ts: `${Date.now()}.${Math.floor(Math.random() * 1e6)}` },
      ref,
      askedBy: userId,
      audience: "dm",
      origin: "ask",
    });
    say("");
    say(`── ${ref.round.title} · ${ref.question.difficulty} · ${ref.question.id} ──`);
    say(ref.question.prompt);
    if (ref.question.coding) say(`\nWrite code in a \`\`\`python or \`\`\`js block. Signatures:\n  ${ref.question.coding.signatures.python}\n  ${ref.question.coding.signatures.javascript}`);

    let next: "question" | "quit" = "question";
    for (;;) {
      say("");
      const current = (await interview.thread(thread))!;
      // Code may contain blank lines, so a coding answer ends with two; follow-ups are prose.
      const isCoding = Boolean(ref.question.coding) && (current.participants[userId]?.turns ?? 0) === 0;
      const answer = await readReply(lines, isCoding ? 2 : 1, (line) => CONSOLE_COMMANDS.has(line.trim().toLowerCase()));
      if (answer === undefined) {
        next = "quit";
        break;
      }
      const word = answer.trim().toLowerCase();
      if (word === "quit" || word === "exit") {
        next = "quit";
        break;
      }
      if (word === "skip" || word === "next") break;
      if (word === "hint") {
        const hint = await interview.hint(thread, userId);
        say(hint?.kind === "hint" ? `Hint ${hint.index}/${hint.total}: ${hint.text}` : "No more hints for this question.");
        continue;
      }
      if (word === "model" || word === "model answer") {
        const model = await interview.modelAnswer(thread, userId);
        if (model?.kind === "model-answer") {
          if (model.missedPoints.length > 0) say(`What you missed:\n${model.missedPoints.map((p) => `  - ${p}`).join("\n")}\n`);
          say(`Model answer:\n${model.referenceAnswer}`);
        } else say("Answer first, then the model answer unlocks.");
        continue;
      }
      const codeSubmission = ref.question.coding ? codeFromPlainText(answer) : undefined;
      const outcome = await interview.answer({ thread: current, userId, text: answer, code: codeSubmission });
      const reply = renderAnswerOutcome(outcome, (nextFollowUp) =>
        nextFollowUp ? "Answer the follow-up, or type `model`, `skip` for a new question, `quit`." : "Type `model` for the model answer, `skip` for a new question, or `quit`.",
      );
      if (reply !== undefined) say(reply);
    }
    if (next === "quit") break;
  }
  rl.close();
  say("Bye — keep practising!");
}

const isEntryPoint = process.argv[1]?.endsWith("practice.ts") || process.argv[1]?.endsWith("practice.js");
if (isEntryPoint) {
  const { values } = parseArgs({
    options: { round: { type: "string", short: "r" }, loop: { type: "boolean" }, "with-hm": { type: "boolean" } },
    allowPositionals: false,
  });
  const config = configFromEnvironment();
  // `--loop [--with-hm]`: the full mock onsite (src/console/loop.ts).
  const run = values.loop ? runLoopConsole({ config, withHm: values["with-hm"] }) : runPracticeConsole({ config, round: values.round });
  run.catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
