/**
 * `npm run practice [-- --round mlsd]`: the same engine as the Slack app, in a terminal
 * (`-- --loop [--with-hm]` runs the full mock onsite instead: src/console/loop.ts).
 * An answer keeps its blank lines and ends with a `/done` line or Ctrl-D; commands act on one Enter.
 */
import { promptAsAsked } from "../engine/content/question-text.js";
import { userInfo } from "node:os";
import type { Config } from "../config.js";
import { consoleLogger } from "../app/env.js";
import { createEngine } from "../app/engine.js";
import type { QuestionRef } from "../engine/content/bank.js";
import type { ThreadRecord } from "../engine/store/records.js";
import { roundList } from "./args.js";
import { readReply } from "./read-answer.js";
import { renderAnswerOutcome } from "./render.js";
import { ConsoleSession } from "./session.js";

/** Words that act on the question instead of answering it, typed on a line of their own. */
const CONSOLE_COMMANDS = new Set(["hint", "skip", "next", "model", "model answer", "quit", "exit", "help"]);
const isCommand = (line: string) => CONSOLE_COMMANDS.has(line.trim().toLowerCase().replace(/\s+/g, " "));

export const PRACTICE_COMMANDS = "Commands (on a line of their own, one Enter): hint · model (after answering) · skip · quit";

export interface PracticeOptions {
  config: Config;
  round?: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Called with the one-line error and exit code 2 when `round` is unknown, before anything else is printed. */
  onUsageError?: (message: string) => void;
}

export async function runPracticeConsole(options: PracticeOptions): Promise<void> {
  const session = new ConsoleSession(options.output ?? process.stdout, options.input ?? process.stdin);
  const say = (text?: string) => session.say(text);
  const { interview } = await createEngine(options.config, { ...consoleLogger, info: () => undefined });
  if (options.round !== undefined && !interview.bank.findRound(options.round) && !interview.bank.find(options.round)) {
    const message = `Unknown round "${options.round}". Rounds:\n${roundList(interview.bank)}`;
    if (options.onUsageError) return options.onUsageError(message);
    process.stderr.write(`${message}\n`);
    process.exitCode = 2;
    return;
  }
  const userId = `console-${userInfo().username}`;
  say(`Interview practice · grader: ${interview.graderKind === "llm" ? "LLM" : "offline rubric check (set OPENAI_API_KEY for LLM critiques)"}`);
  say(PRACTICE_COMMANDS);

  let quit = false;
  while (!quit) {
    const ref: QuestionRef = await interview.chooseQuestion(userId, options.round);
    const thread: ThreadRecord = await interview.questionPosted({
      key: { channel: "console", ts: `${Date.now()}.${Math.floor(Math.random() * 1e6)}` },
      ref,
      askedBy: userId,
      audience: "dm",
      origin: "ask",
    });
    say("");
    say(`── ${ref.round.title} · ${ref.question.difficulty} · ${ref.question.id} ──`);
    say(promptAsAsked(ref.question, "standalone"));
    if (ref.question.coding) say(`\nSignatures:\n  ${ref.question.coding.signatures.python}\n  ${ref.question.coding.signatures.javascript}`);
    say(`\n${session.howToAnswer(ref.question)}`);

    for (;;) {
      session.input.setPrompt("> ");
      const reply = await readReply(session.input, isCommand, () => session.remindHowToSubmit());
      session.input.setPrompt("");
      if (reply.kind === "quit") {
        quit = true;
        break;
      }
      if (reply.kind === "command") {
        const word = reply.word;
        if (word === "quit" || word === "exit") {
          quit = true;
          break;
        }
        if (word === "skip" || word === "next") {
          await interview.skip(thread, userId);
          break;
        }
        if (word === "help") say(`${PRACTICE_COMMANDS}\n${session.howToAnswer(ref.question)}`);
        else if (word === "hint") {
          const hint = await interview.hint(thread, userId);
          say(hint?.kind === "hint" ? `Hint ${hint.index}/${hint.total}: ${hint.text}` : "No more hints for this question.");
        } else {
          const model = await interview.modelAnswer(thread, userId);
          if (model?.kind === "model-answer") await session.modelAnswer(model.referenceAnswer, model.missedPoints);
          else say("Answer first, then the model answer unlocks.");
        }
        continue;
      }
      const current = (await interview.thread(thread))!;
      const outcome = await session.grade(ref.question, reply.text, (code) => interview.answer({ thread: current, userId, text: reply.text, code }));
      const text = renderAnswerOutcome(outcome, (nextFollowUp) =>
        nextFollowUp ? "Answer the follow-up (then /done), or type model, skip for a new question, or quit." : "Type model for the model answer, skip for a new question, or quit.",
      );
      if (text !== undefined) say(text);
    }
  }
  session.close();
  say("Bye — keep practising!");
}
