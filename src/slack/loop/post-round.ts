import type { WebClient } from "@slack/web-api";
import type { Debrief, LoopDoc } from "../../engine/loop/records.js";
import type { DueRound, LoopStep, RoundToPost } from "../../engine/loop/service.js";
import type { ThreadKey } from "../../engine/store/records.js";
import { loopDebriefBlocks } from "../blocks/loop-debrief.js";
import { loopQuestionMessage, loopRoundEndedText, loopRoundMessage } from "../blocks/loop-round.js";
import { openDm } from "../conversations.js";
import type { LoopFeature } from "./feature.js";

/** Posts a round's opening message (its first question) in the person's DM and records the thread. */
export async function postRound(client: WebClient, feature: LoopFeature, post: RoundToPost): Promise<LoopDoc> {
  const { loop, roundIndex, ref } = post;
  const record = loop.rounds[roundIndex]!;
  const channel = loop.channel ?? (await openDm(client, loop.userId));
  const message = loopRoundMessage(
    { round: ref.round, roundIndex, roundCount: loop.rounds.length, questionCount: record.questions.length, timeGuideMinutes: record.timeGuideMinutes },
    ref.question,
  );
  const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
  if (!posted.ts || !posted.channel) throw new Error("chat.postMessage returned no ts");
  return feature.service.roundPosted(post, { channel: posted.channel, ts: posted.ts });
}

/** The debrief, as a message of its own in the DM (it closes the whole loop, not one round). */
export async function postDebrief(client: WebClient, feature: LoopFeature, loop: LoopDoc, debrief: Debrief): Promise<void> {
  const channel = loop.channel ?? (await openDm(client, loop.userId));
  const message = loopDebriefBlocks(debrief, { focusFed: feature.focusFed && debrief.complete });
  await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
}

/** Delivers what `next` / `skip` led to: the next question in the thread, the next round (now or later), or the debrief. */
export async function deliverStep(client: WebClient, feature: LoopFeature, step: LoopStep, thread: ThreadKey): Promise<void> {
  const bank = feature.service.bank;
  const inThread = (text: string, blocks?: unknown[]) =>
    client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, text, ...(blocks ? { blocks: blocks as never } : {}), unfurl_links: false });
  switch (step.kind) {
    case "question": {
      const total = step.loop.rounds[step.roundIndex]!.questions.length;
      const message = loopQuestionMessage(step.ref.round, step.ref.question, step.questionIndex, total);
      await inThread(message.text, message.blocks);
      return;
    }
    case "round-ended": {
      const ended = bank.round(step.loop.rounds[step.roundIndex]!.roundId);
      const nextRound = bank.round(step.loop.rounds[step.next.roundIndex]!.roundId);
      const tz = step.loop.pacing.kind === "daily" ? step.loop.pacing.tz : undefined;
      await inThread(loopRoundEndedText(ended, { round: nextRound, at: step.next.dueAt, tz }));
      if (step.next.dueAt) {
        feature.pacer.schedule({ userId: step.loop.userId, loopId: step.loop.id, dueAt: step.next.dueAt });
        return;
      }
      const post = feature.service.roundToPost(step.loop);
      if (post) await postRound(client, feature, post);
      return;
    }
    case "completed": {
      const last = bank.round(step.loop.rounds.at(-1)!.roundId);
      await inThread(loopRoundEndedText(last, undefined));
      await postDebrief(client, feature, step.loop, step.debrief);
      return;
    }
  }
}

/** The pacer's callback: post the loop's next round if it is still waiting for it. */
export async function postDueRound(client: WebClient, feature: LoopFeature, due: DueRound): Promise<void> {
  await feature.service.exclusive(due.userId, async () => {
    const loop = await feature.service.get(due.userId, due.loopId);
    const post = loop && feature.service.roundToPost(loop);
    if (post) await postRound(client, feature, post);
  });
}
