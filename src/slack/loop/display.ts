import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { ExtractionResult } from "../../engine/judge/index.js";
import type { LoopDisplay, LoopOutput, RoundOpening } from "../../engine/loop/outputs.js";
import type { LoopDoc } from "../../engine/loop/records.js";
import type { ThreadKey } from "../../engine/store/records.js";
import { loopDebriefBlocks } from "../blocks/loop-debrief.js";
import { loopRoundMessage } from "../blocks/loop-round.js";
import { loopThreadMessage } from "../blocks/loop-thread.js";
import { openDm, react } from "../conversations.js";
import { postOnceInConversation } from "./posted-once.js";

export type Say = (message: { text: string; blocks?: KnownBlock[] }) => Promise<unknown>;

export interface SlackLoopDisplayOptions {
  client: WebClient;
  /**
   * Where thread outputs go: the reply's thread (through ThreadPoster, so a reply handled again does
   * not post twice), the button's thread, or the slash command's ephemeral response. Absent for the
   * daily pacer, which only opens rounds.
   */
  say?: Say;
  /** The reply being answered: it gets 👀 while grading and ✅ once graded. */
  reply?: { channel: string; ts: string; userId: string; extraction?: ExtractionResult };
}

/** Posts in the thread at `key` (a button's thread, where there is no reply to deduplicate against). */
export function sayInThread(client: WebClient, key: ThreadKey): Say {
  return ({ text, blocks }) => client.chat.postMessage({ channel: key.channel, thread_ts: key.ts, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
}

/**
 * Renders what the mock-loop engine shows (LoopConductor) with the Block Kit builders and posts it:
 * thread outputs through `say`, the debrief and each round's opening message as messages of their own
 * in the loop's DM (each posted once: see posted-once.ts). It decides nothing about the loop.
 */
export function slackLoopDisplay(options: SlackLoopDisplayOptions): LoopDisplay {
  const { client, say, reply } = options;
  // A loop's own messages carry a token, so a step run again (a retried job, a pacer retry) finds them.
  const inConversation = async (loop: LoopDoc, token: string, message: { text: string; blocks: KnownBlock[] }) => {
    const channel = loop.channel ?? (await openDm(client, loop.userId));
    return postOnceInConversation(client, { channel, ...message, token: `${loop.id}#${token}`, since: new Date(loop.createdAt) });
  };
  return {
    async show(output: LoopOutput) {
      switch (output.kind) {
        case "grading":
          if (reply) await react(client, reply.channel, reply.ts, "eyes");
          return;
        case "round-opened":
          return;
        case "debrief":
          await inConversation(output.loop, "debrief", loopDebriefBlocks(output.debrief, { focusFed: output.focusFed }));
          return;
        default: {
          if (!say) throw new Error(`no thread to show the loop's ${output.kind} in`);
          await say(loopThreadMessage(output, { userId: reply?.userId ?? "", extraction: reply?.extraction }));
          if (output.kind === "critique" && output.outcome.kind === "graded" && reply) await react(client, reply.channel, reply.ts, "white_check_mark");
        }
      }
    },
    async openRound(opening: RoundOpening): Promise<ThreadKey> {
      const message = loopRoundMessage(
        { round: opening.round, roundIndex: opening.roundIndex, roundCount: opening.roundCount, questionCount: opening.questionCount, timeGuideMinutes: opening.timeGuideMinutes },
        opening.question,
      );
      return inConversation(opening.loop, `round-${opening.roundIndex}`, message);
    },
  };
}
