import { UnknownRoundError } from "../../../../engine/interview/errors.js";
import { openDm, slackErrorCode } from "../../../conversations.js";
import { postQuestion } from "../../../post-question.js";
import type { Subcommand } from "./types.js";
import { mrkdwn } from "../../../blocks/text.js";

/** Slack errors that mean "the bot can't post in this channel" rather than a real failure. */
const CANNOT_POST_HERE = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action"]);

function isDirectMessage(channelId: string, channelName: string): boolean {
  return channelName === "directmessage" || channelId.startsWith("D");
}

export const askSubcommand: Subcommand = {
  name: "ask",
  usage: "/interview ask [round | question-id]",
  description: "ask a question now (rounds: hm, coding, ir, mlsd, modeling, behavioral; none = any)",
  async run({ deps, command, args, client, respond }) {
    const userId = command.user_id;
    let ref;
    try {
      ref = await deps.interview.chooseQuestion(userId, args[0]);
    } catch (e) {
      if (e instanceof UnknownRoundError) {
        await respond({
          response_type: "ephemeral",
          text: mrkdwn`I don't know the round "${args[0]}". Try one of: ${e.known.join(", ")} — or a short name like \`mlsd\`, \`ir\`, \`hm\`. Example: \`/interview ask mlsd\``,
        });
        return;
      }
      throw e;
    }
    const inChannel = !isDirectMessage(command.channel_id, command.channel_name);
    if (inChannel) {
      try {
        await postQuestion(client, deps.interview, { channel: command.channel_id, ref, askedBy: userId, audience: "channel", origin: "ask" });
        return;
      } catch (e) {
        const code = slackErrorCode(e);
        if (!code || !CANNOT_POST_HERE.has(code)) throw e;
        deps.logger.info(`ask: cannot post in ${command.channel_id} (${code}); sending by DM`);
      }
    }
    const dm = await openDm(client, userId);
    await postQuestion(client, deps.interview, { channel: dm, ref, askedBy: userId, audience: "dm", origin: "ask" });
    if (dm !== command.channel_id) {
      await respond({
        response_type: "ephemeral",
        text: inChannel
          ? "I'm not in this channel, so I sent your question by DM. Invite me with `/invite @Interview Coach` to practise here."
          : "I sent your question to our DM — answer it in the thread there.",
      });
    }
  },
};
