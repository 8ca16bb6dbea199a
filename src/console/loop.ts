/**
 * `npm run practice -- --loop [--with-hm]`: the mock onsite in a terminal, on the same engine and data
 * as Slack. Rounds follow one another at once; `quit` leaves with the loop saved, and the next
 * `--loop` resumes it where it stopped.
 */
import { userInfo } from "node:os";
import type { Config } from "../config.js";
import { consoleLogger } from "../app/env.js";
import { createEngine } from "../app/engine.js";
import { parseLoopCommand } from "../engine/loop/commands.js";
import { LoopStore } from "../engine/loop/loop-store.js";
import { scheduleStoreFocus } from "../engine/loop/schedule-focus.js";
import { hintEffect } from "../engine/loop/scoring.js";
import { LoopService, type CurrentState, type LoopStep } from "../engine/loop/service.js";
import { ScheduleStore } from "../engine/schedule/schedule-store.js";
import type { LoopDoc } from "../engine/loop/records.js";
import { buildDebrief, pickFocus } from "../engine/loop/debrief.js";
import { CONSOLE_LOOP_COMMANDS, renderDebrief, renderLoopQuestion, renderRoundIntro, renderRoundSummary } from "./loop-render.js";
import { readReply } from "./read-answer.js";
import { renderAnswerOutcome } from "./render.js";
import { ConsoleSession } from "./session.js";

export interface LoopConsoleOptions {
  config: Config;
  withHm?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Whose loop (default: console-<os user>, as `npm run practice` uses). */
  userId?: string;
}

export async function runLoopConsole(options: LoopConsoleOptions): Promise<void> {
  const session = new ConsoleSession(options.output ?? process.stdout, options.input ?? process.stdin);
  const say = (text = "") => session.say(text);
  const { interview } = await createEngine(options.config, { ...consoleLogger, info: () => undefined });
  const userId = options.userId ?? `console-${userInfo().username}`;
  // No scheduler runs here, so the debrief's focus items go straight into the person's schedule file.
  const loops = new LoopService({
    interview,
    store: new LoopStore(interview.store.docs),
    focus: scheduleStoreFocus(new ScheduleStore(interview.store.docs)),
    followUpDepth: options.config.loop.followUpDepth,
    logger: consoleLogger,
  });
  const bank = interview.bank;

  say(`Mock onsite · grader: ${interview.graderKind === "llm" ? "LLM" : "offline rubric check (set OPENAI_API_KEY for LLM critiques)"}`);
  let loop: LoopDoc | undefined = await loops.active(userId);
  if (loop) {
    const done = loop.rounds.filter((r) => r.status === "done").length;
    say(`Resuming your mock onsite from ${loop.createdAt.slice(0, 10)}: ${done} of ${loop.rounds.length} rounds done.`);
  } else {
    loop = await loops.start({ userId, withHm: Boolean(options.withHm), pacing: { kind: "all" } });
    say(`A new mock onsite: ${loop.rounds.map((r) => bank.round(r.roundId).title).join(" → ")}.`);
  }
  say(CONSOLE_LOOP_COMMANDS);

  let showQuestion = true;
  for (;;) {
    loop = (await loops.get(userId, loop.id))!;
    if (loop.status !== "active") break;
    // The console does not wait for a round's day: the next round starts as soon as the previous ends.
    const post = loops.roundToPost(loop, { force: true });
    if (post) {
      const record = loop.rounds[post.roundIndex]!;
      say("\n" + renderRoundIntro(post.ref.round, post.roundIndex, loop.rounds.length, record.questions.length, record.timeGuideMinutes));
      loop = await loops.roundPosted(post, { channel: "console", ts: `loop-${loop.id}-${post.roundIndex}` });
      showQuestion = true;
    }
    const round = loop.rounds[loop.currentRound]!;
    const state = await loops.locateKey(round.thread!);
    if (state?.kind !== "current") throw new Error(`loop ${loop.id}: round ${loop.currentRound} has no open thread`);
    const ref = bank.get(state.thread.questionId);
    const participant = state.thread.participants[userId];
    if (showQuestion) {
      say("\n" + renderLoopQuestion(ref.round, ref.question, state.questionIndex, round.questions.length));
      if (participant?.pendingFollowUp) say(`\nFollow-up: ${participant.pendingFollowUp}`);
      say(`\n${session.howToAnswer(ref.question)}`);
      showQuestion = false;
    }
    session.input.setPrompt("> ");
    const reply = await readReply(session.input, (line) => parseLoopCommand(line) !== undefined || /^(quit|exit|help)$/i.test(line.trim()), () => session.remindHowToSubmit());
    session.input.setPrompt("");
    if (reply.kind === "quit" || (reply.kind === "command" && /^(quit|exit)$/.test(reply.word))) {
      say("Your mock onsite is saved. Run `npm run practice -- --loop` to continue where you stopped.");
      break;
    }
    if (reply.kind === "command" && reply.word === "help") {
      say(`${CONSOLE_LOOP_COMMANDS}\n${session.howToAnswer(ref.question)}`);
      continue;
    }
    switch (reply.kind === "command" ? parseLoopCommand(reply.word) : undefined) {
      case "hint": {
        const hint = await loops.hint(state);
        const effect = hint?.kind === "hint" ? hintEffect(ref.round, ref.question, hint.index) : undefined;
        say(hint?.kind === "hint" ? `Hint ${hint.index}/${hint.total}: ${hint.text}${effect ? `\n(${effect.dimensionTitle} is now capped at ${effect.cap}/4 on this question.)` : ""}` : "No more hints for this question.");
        break;
      }
      case "model-answer": {
        const model = await loops.modelAnswer(state);
        if (model?.kind === "model-answer") {
          await session.modelAnswer(model.referenceAnswer, model.missedPoints);
          say("\nType `next` when you're ready to move on.");
        } else say("Answer first, then the model answer unlocks.");
        break;
      }
      case "end": {
        const ended = await loops.abandon(userId);
        if (ended.debrief && ended.debrief.rounds.length > 0) {
          say("Mock onsite ended — recorded as abandoned. Your debrief of the rounds you sat:");
          say("\n" + renderDebrief(ended.debrief));
        } else say("Mock onsite ended before any answer, so there is nothing to debrief. Start again whenever you like: npm run practice -- --loop");
        break;
      }
      case "next":
      case "skip": {
        const text = renderStep(await loops.advance(state), bank);
        if (text) say(text);
        showQuestion = true;
        break;
      }
      case undefined:
        if (reply.kind === "answer") await answer(session, loops, state, reply.text);
        break;
    }
  }
  session.close();
}

function renderStep(step: LoopStep, bank: LoopService["bank"]): string {
  if (step.kind === "question") return "";
  if (step.kind === "completed") {
    const last = bank.round(step.loop.rounds[step.loop.rounds.length - 1]!.roundId);
    return `\nThat's the end of the ${last.title} round — and of the loop.\n\n${renderDebrief(step.debrief)}`;
  }
  // Between rounds: how the round went and what to practise, from the same scoring as the debrief.
  const ended = step.loop.rounds[step.roundIndex]!;
  const scored = buildDebrief(bank, step.loop, new Date()).rounds.find((r) => r.roundId === ended.roundId);
  const title = bank.round(ended.roundId).title;
  if (!scored) return `\nThat's the end of the ${title} round (no answer was graded in it).`;
  return `\n${renderRoundSummary(scored, pickFocus(bank, [scored], 2))}`;
}

async function answer(session: ConsoleSession, loops: LoopService, state: CurrentState, text: string): Promise<void> {
  const ref = loops.bank.get(state.thread.questionId);
  const result = await session.grade(ref.question, text, (code) => loops.answer(state, { text, code }));
  if (result.kind === "after-model-answer") return void session.say("You've seen the model answer for this question, so further replies aren't graded. Type `next`.");
  if (result.kind === "question-done") return void session.say("That's all the follow-ups on this question. Type `next` to move on, or `model answer`.");
  const reply = renderAnswerOutcome(result.outcome, (nextFollowUp) =>
    nextFollowUp ? "Answer the follow-up (then /done), or type `next` to move on." : "That's all the follow-ups: type `next` to move on, or `model answer`.",
  );
  if (reply !== undefined) session.say(reply);
}
