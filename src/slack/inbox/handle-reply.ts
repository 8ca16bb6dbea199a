import { mention, mrkdwn } from "../blocks/text.js";
import type { WebClient } from "@slack/web-api";
import type { AnswerOutcome, InterviewService } from "../../engine/interview/service.js";
import type { Inbox } from "../../engine/inbox/ports.js";
import type { ReplyContext } from "../../engine/inbox/reply-jobs.js";
import type { InboxEntry } from "../../engine/inbox/records.js";
import type { ExtractionResult } from "../../engine/judge/index.js";
import { StoreWriteError } from "../../engine/store/errors.js";
import { answerOutcomeMessage } from "../blocks/answer-outcome.js";
import { react } from "../conversations.js";
import type { LoopFeature } from "../loop/feature.js";
import { loopThreadReply } from "../loop/thread-reply.js";
import { ThreadPoster } from "./thread-poster.js";

export interface ReplyHandlerDeps {
  interview: InterviewService;
  loop: LoopFeature;
  inbox: Inbox;
  logger: { error(message: string): void };
}

/**
 * Handles one reply taken from the inbox, after Slack was acknowledged: grades it (or runs a mock-loop
 * command) and posts the outcome in its thread. Posts carry the reply's token, so handling it again after
 * a crash finds what was already posted instead of posting it twice.
 */
export async function handleThreadReply(deps: ReplyHandlerDeps, client: WebClient, entry: InboxEntry, context: ReplyContext): Promise<void> {
  const thread = await deps.interview.thread({ channel: entry.channel, ts: entry.threadTs });
  if (!thread) return;
  const poster = new ThreadPoster(client, entry.channel, entry.threadTs, entry.id, context.mayBeDone, context.signal);
  const extraction = entry.extraction as ExtractionResult | undefined;
  if (thread.origin === "loop") {
    const reply = { id: entry.id, channel: entry.channel, ts: entry.ts, user: entry.userId, text: entry.text, code: entry.code, extraction };
    return loopThreadReply(deps.loop, thread, reply, client, {
      say: (text, blocks) => poster.post({ text, blocks }),
      beforeCommand: () => deps.inbox.complete(entry.id),
    }, deps.logger);
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
