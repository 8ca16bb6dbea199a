import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { ANSWER_FIRST_TEXT, modelAnswerBlocks } from "../../blocks/model-answer.js";
import { escapeMrkdwn } from "../../blocks/text.js";
import type { SlackDeps } from "../../deps.js";
import type { ThreadRecord } from "../../../engine/store/records.js";
import { sayInThread, slackLoopDisplay } from "../../loop/display.js";
import { postQuestion } from "../../post-question.js";

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Where the clicked button lives: its channel, and the ts of the question that opened the thread. */
function threadOf(body: BlockButtonAction, fromValue: boolean): { channel: string; ts: string } | undefined {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = fromValue ? body.actions[0]?.value : body.container?.message_ts;
  return channel && ts ? { channel, ts } : undefined;
}

/**
 * Replies privately in channels (so the thread stays spoiler-free for others), in the thread in a DM.
 */
async function replyTo(client: WebClient, audience: "dm" | "channel", key: { channel: string; ts: string }, user: string, text: string, blocks?: unknown[]) {
  if (audience === "channel") {
    await client.chat.postEphemeral({ channel: key.channel, user, thread_ts: key.ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
  } else {
    await client.chat.postMessage({ channel: key.channel, thread_ts: key.ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
  }
}

/** In a DM thread only the person it was asked for acts on it; in a channel anyone may. */
function mayAct(thread: ThreadRecord, userId: string): boolean {
  return thread.audience !== "dm" || thread.askedBy === userId;
}

export async function hintActionCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const key = threadOf(body, false);
  const thread = key && (await deps.interview.thread(key));
  if (!key || !thread || !mayAct(thread, body.user.id)) return;
  const outcome = await deps.interview.hint(key, body.user.id);
  if (!outcome) return;
  const text =
    outcome.kind === "hint"
      ? `:bulb: Hint ${outcome.index}/${outcome.total}: ${escapeMrkdwn(outcome.text)}\n_A hint caps the related rubric score a little — use them as you would ask an interviewer for one._`
      : `That was the last hint (${outcome.total} in all). Give it your best shot — a partial answer still gets useful feedback.`;
  await replyTo(client, thread.audience, key, body.user.id, text);
}

export async function skipActionCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const key = threadOf(body, false);
  const thread = key && (await deps.interview.thread(key));
  if (!key || !thread || !mayAct(thread, body.user.id)) return;
  await deps.interview.skip(key, body.user.id);
  const ref = await deps.interview.chooseQuestion(body.user.id, thread.roundId);
  if (thread.audience === "dm") {
    await postQuestion(client, deps.interview, { channel: key.channel, ref, askedBy: body.user.id, audience: "dm", origin: "ask", intro: "Skipped — here is another one." });
  } else {
    await replyTo(client, "channel", key, body.user.id, "Skipping is for you only here: others may still answer this one. Use `/interview ask` for a fresh question by DM.");
  }
}

export async function modelAnswerActionCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const key = threadOf(body, true);
  const thread = key && (await deps.interview.thread(key));
  if (!key || !thread || !mayAct(thread, body.user.id)) return;
  // In a mock loop, seeing the model answer is recorded (later replies to that question are not graded).
  if (thread.origin === "loop") {
    await deps.loop.conductor.modelAnswer(key, body.user.id, slackLoopDisplay({ client, say: sayInThread(client, key) }));
    return;
  }
  const outcome = await deps.interview.modelAnswer(key, body.user.id);
  if (!outcome) return;
  if (outcome.kind === "answer-first") {
    await replyTo(client, thread.audience, key, body.user.id, ANSWER_FIRST_TEXT);
    return;
  }
  const message = modelAnswerBlocks(outcome);
  await replyTo(client, thread.audience, key, body.user.id, message.text, message.blocks);
}
