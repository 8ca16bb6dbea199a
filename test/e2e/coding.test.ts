import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** How Slack delivers a reply with a code block: text with fences (escaped) plus a rich_text preformatted block. */
function codeReply(channel: string, threadTs: string, ts: string, code: string, language = "python") {
  const escaped = code.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return eventBody({
    type: "message",
    channel,
    user: "U111",
    ts,
    thread_ts: threadTs,
    text: "```" + language + "\n" + escaped + "```",
    blocks: [{ type: "rich_text", block_id: "b1", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: `${language}\n${code}` }] }] }],
  });
}

async function askTwoSum(t: TestApp): Promise<string> {
  await postSigned(t.eventsUrl, slashCommandBody({ text: "ask two-sum-zero", userId: "U111", channelId: "D111", responseUrl: t.slack.responseUrl() }), "application/x-www-form-urlencoded");
  await t.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
  const ts = String(t.slack.callsTo("chat.postMessage")[0]!.response!.ts);
  while (!(await t.running.engine.interview.thread({ channel: "D111", ts }))) await new Promise((r) => setTimeout(r, 10));
  return ts;
}

const PYTHON_SOLUTION = `def zero_sum_pairs(nums):
    seen = set()
    pairs = set()
    zeros = 0
    for v in nums:
        if v == 0:
            zeros += 1
        elif -v in seen:
            pairs.add((min(v, -v), max(v, -v)))
        seen.add(v)
    out = [list(p) for p in pairs]
    if zeros >= 2:
        out.append([0, 0])
    return out`;

describe("coding answers in Slack (real sandbox)", () => {
  it("runs a code block posted in the question's thread and posts the verdict there", async () => {
    app = await startTestApp();
    expect(app.running.engine.judge.available).toBe(true);
    const threadTs = await askTwoSum(app);
    expect(JSON.stringify(app.slack.callsTo("chat.postMessage")[0]!.args.blocks)).toContain("zero_sum_pairs");
    await postSigned(app.eventsUrl, codeReply("D111", threadTs, "1800000000.000100", PYTHON_SOLUTION), "application/json");
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs), 60_000);
    const verdict = JSON.stringify(calls.find((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs)!.args.blocks);
    expect(verdict).toContain("Accepted");
    expect(verdict).toMatch(/(\d+)\/\1 tests passed/);
    expect(verdict).toContain("Key-point coverage");
  });

  it("reports a wrong answer with the failing example, and asks for a code block when there is none", async () => {
    app = await startTestApp();
    const threadTs = await askTwoSum(app);
    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", ts: "1800000000.000200", thread_ts: threadTs, text: "I'd put everything in a hash set and look up the negation." }), "application/json");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs));
    expect(String(app.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === threadTs)!.args.text)).toContain("code block");

    await postSigned(app.eventsUrl, codeReply("D111", threadTs, "1800000000.000300", "function zeroSumPairs(nums) {\n  return nums.length > 1 ? [[nums[0], nums[1]]] : [];\n}", "js"), "application/json");
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= 2, 60_000);
    const verdict = JSON.stringify(app.slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs)[1]!.args.blocks);
    expect(verdict).toContain("Wrong answer");
    expect(verdict).toContain("First failing test");
  });
});
