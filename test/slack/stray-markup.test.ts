import { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { startFakeSlack } from "../support/fake-slack.js";

/** The check every e2e suite relies on: the fake Slack refuses to close quietly after stray `<` in mrkdwn. */
describe("the fake Slack's mrkdwn check", () => {
  it("flags a vanished placeholder in text, blocks, views and response_url bodies, and accepts real Slack tokens", async () => {
    const slack = await startFakeSlack();
    const client = new WebClient("xoxb-x", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await client.chat.postMessage({ channel: "C1", text: "ok <@U123> <#C42|general> <!here> <https://x.io|x> &lt;time&gt; a > b" });
    await client.chat.postMessage({ channel: "C1", text: "Usage: /interview daily <time>" });
    await client.chat.postEphemeral({
      channel: "C1",
      user: "U1",
      text: "fine",
      blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "pause <n> days" }] }],
    });
    await client.views.publish({ user_id: "U1", view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "start <= end" } }] } });
    // plain_text is shown as written by Slack: a `<` there is fine.
    await client.chat.postMessage({ channel: "C1", text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "a <b>" } }] });
    await fetch(slack.responseUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "Unknown round <b>" }) });

    expect(slack.strayMarkup().map((s) => [s.method, s.path])).toEqual([
      ["chat.postMessage", "text"],
      ["chat.postEphemeral", "blocks[0].elements[0]"],
      ["views.publish", "view.blocks[0].text"],
      ["response_url", "text"],
    ]);
    await expect(slack.close()).rejects.toThrow(/not a Slack token/);
  });
});
