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
import { LoopConductor } from "../engine/loop/conductor.js";
import { LoopStore } from "../engine/loop/loop-store.js";
import { scheduleStoreFocus } from "../engine/loop/schedule-focus.js";
import { LoopService } from "../engine/loop/service.js";
import { ScheduleStore } from "../engine/schedule/schedule-store.js";
import type { LoopDoc } from "../engine/loop/records.js";
import { ConsoleLoopDisplay } from "./loop-display.js";
import { CONSOLE_LOOP_COMMANDS } from "./loop-render.js";
import { readReply } from "./read-answer.js";
import { ConsoleSession } from "./session.js";

export interface LoopConsoleOptions {
  config: Config;
  withHm?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Whose loop (default: console-<os user>, as `npm run practice` uses). */
  userId?: string;
}

/**
 * Reads replies and hands each to the same engine entry point as Slack (LoopConductor.reply), which
 * decides what it leads to; ConsoleLoopDisplay prints what the engine shows.
 */
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
  const conductor = new LoopConductor({ service: loops, focusFed: true, logger: consoleLogger });
  const display = new ConsoleLoopDisplay(session);
  const bank = interview.bank;

  say(`Mock onsite · grader: ${interview.graderKind === "llm" ? "LLM" : "offline rubric check (set OPENAI_API_KEY for LLM critiques)"}`);
  let loop: LoopDoc | undefined = await loops.active(userId);
  let resumed = false;
  if (loop) {
    const done = loop.rounds.filter((r) => r.status === "done").length;
    say(`Resuming your mock onsite from ${loop.createdAt.slice(0, 10)}: ${done} of ${loop.rounds.length} rounds done.`);
    resumed = true;
  } else {
    loop = await loops.start({ userId, withHm: Boolean(options.withHm), pacing: { kind: "all" } });
    say(`A new mock onsite: ${loop.rounds.map((r) => bank.round(r.roundId).title).join(" → ")}.`);
  }
  say(CONSOLE_LOOP_COMMANDS);

  for (;;) {
    loop = (await loops.get(userId, loop.id))!;
    if (loop.status !== "active") break;
    // The console does not wait for a round's day: a round waiting to open opens now.
    if (loops.roundToPost(loop, { force: true })) {
      await conductor.takeRound(userId, { force: true }, display);
      resumed = false;
      continue;
    }
    const round = loop.rounds[loop.currentRound]!;
    const thread = await loops.thread(round.thread!);
    if (!thread) throw new Error(`loop ${loop.id}: round ${loop.currentRound} has no open thread`);
    const ref = bank.get(thread.questionId);
    if (resumed) {
      display.question(ref.round, ref.question, round.current, round.questions.length, thread.participants[userId]?.pendingFollowUp);
      resumed = false;
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
    const text = reply.kind === "answer" ? reply.text : reply.word;
    const code = reply.kind === "answer" ? session.codeIn(ref.question, text) : undefined;
    display.grading(session.workingLabel(ref.question, code));
    try {
      await conductor.reply({ thread: round.thread!, userId, text, code }, display);
    } finally {
      display.stopWorking();
    }
  }
  session.close();
}
