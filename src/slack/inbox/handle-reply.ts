import { mention, mrkdwn } from "../blocks/text.js";
import type { WebClient } from "@slack/web-api";
import type { AnswerOutcome, InterviewService } from "../../engine/interview/service.js";
import type { Inbox } from "../../engine/inbox/ports.js";
import type { ReplyContext } from "../../engine/inbox/reply-jobs.js";
import type { InboxEntry } from "../../engine/inbox/records.js";
import type { ExtractionResult } from "../../engine/judge/index.js";
import type { LoopConductor } from "../../engine/loop/conductor.js";
import { StoreWriteError } from "../../engine/store/errors.js";
import { answerOutcomeMessage } from "../blocks/answer-outcome.js";
import { react } from "../conversations.js";
import { slackLoopDisplay } from "../loop/display.js";
import { ThreadPoster } from "./thread-poster.js";

export interface ReplyHandlerDeps {
  interview: InterviewService;
  /** Mock loops: a reply in a round's thread is the loop's to handle. */
  loop: { conductor: LoopConductor };
  inbox: Inbox;
  logger: { error(message: string): void };
}

/**
 * Handles one reply taken from the inbox, after Slack was acknowledged: grades it (or hands it to the
 * mock-loop engine, which decides what it leads to) and posts the outcome in its thread. Posts carry
 * the reply's token, so handling it again after a crash finds what was already posted instead of
 * posting it twice. Everything it needs comes in its arguments: it can run in any process.
 */
export async function handleThreadReply(deps: ReplyHandlerDeps, client: WebClient, entry: InboxEntry, context: ReplyContext): Promise<void> {
  const thread = await deps.interview.thread({ channel: entry.channel, ts: entry.threadTs });
  if (!thread) return;
  const poster = new ThreadPoster(client, entry.channel, entry.threadTs, entry.id, context.mayBeDone, context.signal);
  const extraction = entry.extraction as ExtractionResult | undefined;
  if (thread.origin === "loop") {
    const display = slackLoopDisplay({ client, say: (message) => poster.post(message), reply: { channel: entry.channel, ts: entry.ts, userId: entry.userId, extraction } });
    const reply = { id: entry.id, thread: { channel: entry.channel, ts: entry.threadTs }, userId: entry.userId, text: entry.text, code: entry.code };
    // Commands change the loop, so they are marked handled before they run (at most once).
    await deps.loop.conductor.reply(reply, display, { beforeCommand: () => deps.inbox.complete(entry.id) });
    return;
  }
  // A receipt at once: grading may take a while.
  await react(client, entry.channel, entry.ts, "eyes");
  let outcome: AnswerOutcome;
  try {
    outcome = await deps.interview.answer({ thread, userId: entry.userId, text: entry.text, code: entry.code, answerId: entry.id });
  } catch (error) {
    // Not saved (disk full…): the reply stays in the inbox and is graded on a later attempt.
    if (error instanceof StoreWriteError) throw error;
    deps.logger.error(`grading ${thread.questionId} for ${entry.userId} failed: ${(error as Error).message}`);
    await poster.post({
      text: mrkdwn`${mention(entry.userId)} Sorry — I couldn't grade that answer because of an error on our side. Your message is still here; reply again in a minute and I'll grade it.`,
    });
    return;
  }
  const round = deps.interview.bank.round(thread.roundId);
  const message = answerOutcomeMessage(outcome, { userId: entry.userId, roundTitle: round.title, threadTs: entry.threadTs, audience: thread.audience, extraction });
  await poster.post(message);
  if (outcome.kind === "graded") await react(client, entry.channel, entry.ts, "white_check_mark");
}
