import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { CodeSubmission } from "../../engine/interview/service.js";
import type { ExtractionResult } from "../../engine/judge/index.js";
import { StoreWriteError } from "../../engine/store/errors.js";
import { parseLoopCommand } from "../../engine/loop/commands.js";
import { hintEffect } from "../../engine/loop/scoring.js";
import type { CurrentState, LoopThreadState } from "../../engine/loop/service.js";
import type { ThreadKey, ThreadRecord } from "../../engine/store/records.js";
import { answerOutcomeMessage } from "../blocks/answer-outcome.js";
import { AFTER_MODEL_ANSWER_TEXT, LOOP_ENDED_UNANSWERED, LOOP_ENDED_WITH_DEBRIEF, QUESTION_DONE_TEXT } from "../blocks/loop-round.js";
import { modelAnswerBlocks } from "../blocks/model-answer.js";
import { escapeMrkdwn, mention, mrkdwn } from "../blocks/text.js";
import { react } from "../conversations.js";
import type { LoopFeature } from "./feature.js";
import { deliverStep, postDebrief } from "./post-round.js";


interface Logger {
  error(message: string): void;
}

type Say = (text: string, blocks?: KnownBlock[]) => Promise<unknown>;

/** A reply in a loop round's thread, as the inbox stored it. */
export interface LoopReply {
  /** The inbox id: the answer's id, so a reply handled again after a crash is graded once. */
  id: string;
  channel: string;
  ts: string;
  user: string;
  /** Plain text (Slack markup undone). */
  text: string;
  code?: CodeSubmission;
  extraction?: ExtractionResult;
}

export interface LoopReplyContext {
  /** Posts in the round's thread (deduplicated by the caller when the reply may have been handled before). */
  say: Say;
  /**
   * Called before a command (hint, next, skip, end, model answer) runs: commands change the loop, so
   * they run at most once — after a crash mid-command the person types it again; answers are graded
   * exactly once through their id instead.
   */
  beforeCommand(): Promise<void>;
}

function sayIn(client: WebClient, key: ThreadKey): Say {
  return (text, blocks) => client.chat.postMessage({ channel: key.channel, thread_ts: key.ts, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
}

/** A message's blocks with a loop hint underneath, within Slack's 50-block limit. */
function withFooter(blocks: readonly KnownBlock[], footer: string): KnownBlock[] {
  const context: KnownBlock = { type: "context", elements: [{ type: "mrkdwn", text: footer }] };
  return [...blocks.slice(0, 49), context];
}

/** Why a reply in a loop thread is not taken: the loop is over, or this round is. */
function notCurrentText(state: Exclude<LoopThreadState, CurrentState>, feature: LoopFeature): string {
  if (state.kind === "ended") {
    return state.loop.status === "completed"
      ? "This mock onsite is over — its debrief is in our DM and in `/interview loops`. `/interview loop` starts a new one."
      : "This mock onsite was ended. `/interview loops` lists it; `/interview loop` starts a new one.";
  }
  const current = state.loop.rounds[state.loop.currentRound];
  const title = current ? feature.service.bank.round(current.roundId).title : "the next round";
  return current?.status === "active"
    ? `This round is over. The loop goes on in the *${escapeMrkdwn(title)}* thread.`
    : `This round is over. Next up: *${escapeMrkdwn(title)}* — \`/interview loop\` shows when.`;
}

/**
 * A reply in a loop round's thread: a command typed on its own (`hint`, `next`, `skip`, `end`,
 * `model answer`) or an answer, graded like any other with the loop's follow-up depth. Everything for
 * one person runs in order, so `next` typed while an answer is being graded waits for that grade.
 */
export async function loopThreadReply(feature: LoopFeature, thread: ThreadRecord, reply: LoopReply, client: WebClient, context: LoopReplyContext, logger: Logger): Promise<void> {
  // A mock onsite is one person's; in a shared conversation others' replies are not part of it.
  if (reply.user !== thread.askedBy) return;
  const key = { channel: thread.channel, ts: thread.ts };
  const { say } = context;
  const command = parseLoopCommand(reply.text);
  const service = feature.service;
  try {
    if (command !== undefined) await context.beforeCommand();
    await service.exclusive(thread.askedBy, async () => {
      // Re-read under the lock: an earlier reply may have moved the loop on.
      const fresh = await service.locateKey(key);
      if (!fresh) return;
      if (fresh.kind !== "current") {
        // `end` works from any thread of a running loop (e.g. while waiting for tomorrow's round).
        if (command === "end" && fresh.loop.status === "active") await endLoop(feature, client, say, fresh.loop.userId);
        else await say(notCurrentText(fresh, feature));
        return;
      }
      const state = fresh;
      switch (command) {
        case "end":
          await endLoop(feature, client, say, state.loop.userId);
          return;
        case "hint":
          await giveHint(feature, say, state);
          return;
        case "model-answer":
          await showModelAnswer(feature, say, state);
          return;
        case "next":
        case "skip":
          await deliverStep(client, feature, await service.advance(state), key);
          return;
        case undefined:
          await gradeAnswer(feature, client, say, state, reply);
          return;
      }
    });
  } catch (error) {
    // Not saved: the reply stays in the inbox and is tried again, so no apology that asks for a resend.
    if (error instanceof StoreWriteError) throw error;
    logger.error(`mock loop reply from ${reply.user} failed: ${(error as Error).message}`);
    await say(mrkdwn`${mention(reply.user)} Sorry — something went wrong on our side. Your message is still here; reply again in a minute.`).catch(() => undefined);
  }
}

/** The critique's Model answer button in a loop thread: recorded like the typed command. */
export async function loopModelAnswerButton(feature: LoopFeature, key: ThreadKey, userId: string, client: WebClient): Promise<void> {
  await feature.service.exclusive(userId, async () => {
    const state = await feature.service.locateKey(key);
    if (!state || state.loop.userId !== userId) return;
    const say = sayIn(client, key);
    if (state.kind !== "current") await say(notCurrentText(state, feature));
    else await showModelAnswer(feature, say, state);
  });
}

async function endLoop(feature: LoopFeature, client: WebClient, say: Say, userId: string): Promise<void> {
  const loop = await feature.service.abandon(userId);
  feature.pacer.cancel(userId);
  const answered = loop.debrief !== undefined && loop.debrief.rounds.length > 0;
  await say(answered ? LOOP_ENDED_WITH_DEBRIEF : LOOP_ENDED_UNANSWERED);
  if (answered) await postDebrief(client, feature, loop, loop.debrief!);
}

async function giveHint(feature: LoopFeature, say: Say, state: CurrentState): Promise<void> {
  const outcome = await feature.service.hint(state);
  if (!outcome) return;
  if (outcome.kind === "no-more-hints") {
    await say(`That was the last hint (${outcome.total} in all). Give it your best shot — a partial answer still gets useful feedback.`);
    return;
  }
  const { round, question } = feature.service.bank.get(state.thread.questionId);
  const effect = hintEffect(round, question, outcome.index);
  const cap = effect ? `\n_In this loop, ${escapeMrkdwn(effect.dimensionTitle)} is now capped at ${effect.cap}/4 on this question._` : "";
  await say(`:bulb: Hint ${outcome.index}/${outcome.total}: ${escapeMrkdwn(outcome.text)}${cap}`);
}

async function showModelAnswer(feature: LoopFeature, say: Say, state: CurrentState): Promise<void> {
  const outcome = await feature.service.modelAnswer(state);
  if (!outcome) return;
  if (outcome.kind === "answer-first") {
    await say("Answer first, then the model answer unlocks — that's how the practice sticks.");
    return;
  }
  const message = modelAnswerBlocks(outcome);
  await say(message.text, withFooter(message.blocks, "Type `next` when you're ready to move on."));
}

async function gradeAnswer(feature: LoopFeature, client: WebClient, say: Say, state: CurrentState, reply: LoopReply): Promise<void> {
  await react(client, reply.channel, reply.ts, "eyes");
  const result = await feature.service.answer(state, { text: reply.text, code: reply.code, answerId: reply.id });
  if (result.kind === "after-model-answer") return void (await say(AFTER_MODEL_ANSWER_TEXT));
  if (result.kind === "question-done") return void (await say(QUESTION_DONE_TEXT));
  const { outcome } = result;
  const round = feature.service.bank.round(state.thread.roundId);
  const message = answerOutcomeMessage(outcome, { userId: reply.user, roundTitle: round.title, threadTs: state.thread.ts, audience: "dm", extraction: reply.extraction });
  if (outcome.kind !== "graded") return void (await say(message.text, message.blocks));
  const next = result.followUpPending ? "Answer the follow-up in this thread, or type `next` to move on." : QUESTION_DONE_TEXT;
  await say(message.text, withFooter(message.blocks ?? [], next));
  await react(client, reply.channel, reply.ts, "white_check_mark");
}
