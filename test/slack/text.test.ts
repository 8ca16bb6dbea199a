import { describe, expect, it } from "vitest";
import { context, escapeMrkdwn, mention, mrkdwn, quote, readableTokens, section, SECTION_LIMIT, truncate, trusted } from "../../src/slack/blocks/text.js";
import { progressBlocks } from "../../src/slack/blocks/progress.js";
import type { ProgressReport } from "../../src/engine/progress/report.js";

describe("the Slack escaping helper", () => {
  it("escapes the literal placeholders and every value of a mrkdwn template, keeping only mentions as tokens", () => {
    const word = "<script> & <!channel>";
    const text = mrkdwn`Usage: \`/interview daily <time> [days]\` — you typed ${word}; owner ${mention("U0123ABC")}`;
    expect(text).toContain("/interview daily &lt;time&gt; [days]");
    expect(text).toContain("&lt;script&gt; &amp; @channel");
    expect(text).toContain("<@U0123ABC>");
    expect(text.replace("<@U0123ABC>", "")).not.toContain("<");
  });

  it("shows Slack tokens in quoted text as readable names, never as raw tokens", () => {
    expect(readableTokens("ask <@U123|ana> and <@W999> in <#C42|general>, cc <!here> <!subteam^S1|@ml-team> <https://x.io|the doc>")).toBe(
      "ask @ana and @user in #general, cc @here @ml-team the doc",
    );
    expect(quote("thanks <@U777> <!channel>")).toBe("“thanks @user @channel”");
    // Ordinary comparisons stay as written (escaped).
    expect(escapeMrkdwn("start <= end > 0")).toBe("start &lt;= end &gt; 0");
  });

  it("nests already-built mrkdwn without escaping it twice", () => {
    const inner = mrkdwn`*${"a<b"}*`;
    expect(mrkdwn`x ${trusted(inner)}`).toBe("x *a&lt;b*");
  });

  it("truncates after escaping without cutting an entity or a token in half", () => {
    const escaped = escapeMrkdwn("<".repeat(2000));
    const cut = truncate(escaped, 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.replace(/…$/, "")).toMatch(/^(&lt;)+$/);
    const withToken = "x".repeat(2990) + "<@U12345678>";
    expect(truncate(withToken, 3000)).not.toContain("<");
    expect(section(escapeMrkdwn("&".repeat(5000))).text.text.length).toBeLessThanOrEqual(SECTION_LIMIT);
    expect(context("y".repeat(5000)).elements[0].text.length).toBeLessThanOrEqual(SECTION_LIMIT);
  });

  it("keeps every progress section within Slack's limit however many weak areas there are, without splitting an entry", () => {
    const latest = { score: 1, evidence: "<b> & ".repeat(200), justification: "j" };
    const report = {
      answers: 3,
      overall: { average: 2, sparkline: "▅", trend: "flat" },
      rounds: [],
      weakest: Array.from({ length: 12 }, (_, i) => ({ title: `dim ${i} <x>`, roundTitle: "R", average: 1, latest })),
      streak: { current: 0, best: 0, answeredToday: false },
    } as unknown as ProgressReport;
    const sections = progressBlocks(report).filter((b) => b.type === "section") as { text: { text: string } }[];
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(SECTION_LIMIT);
    const all = sections.map((s) => s.text.text).join("\n");
    for (let i = 0; i < 12; i++) expect(all).toContain(`dim ${i} &lt;x&gt;`);
    expect(all).not.toMatch(/<(?![@#!])/);
  });
});

describe("long mrkdwn split across sections", () => {
  it("keeps every character, never splits an entity, and keeps each piece within a section", async () => {
    const { splitForSections } = await import("../../src/slack/blocks/text.js");
    const escaped = escapeMrkdwn("a<b & c>d ".repeat(900) + "x".repeat(4000));
    const pieces = splitForSections(escaped);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(SECTION_LIMIT);
      expect(p).not.toMatch(/&[a-z]{0,3}$/);
      expect(p).not.toMatch(/^[a-z]{1,3};/);
    }
    expect(pieces.join("").replace(/\s/g, "")).toBe(escaped.replace(/\s/g, ""));
  });
});

describe("the model answer in the candidate's language", () => {
  it("swaps a coding question's Python solution for the JavaScript reference when the code was JavaScript", async () => {
    const { referenceAnswerFor } = await import("../../src/engine/content/reference-answer.js");
    const { QuestionBank } = await import("../../src/engine/content/bank.js");
    const { loadRounds } = await import("../../src/engine/content/load.js");
    const { contentPaths } = await import("../../src/engine/content/paths.js");
    const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
    for (const round of bank.rounds) {
      for (const question of round.questions.filter((q) => q.coding)) {
        const js = referenceAnswerFor(question, "javascript");
        expect(js, question.id).toContain(question.coding!.reference.javascript.trim());
        expect(js, question.id).not.toContain("```python");
        expect(referenceAnswerFor(question, "python")).toBe(question.referenceAnswer);
      }
    }
  });
});
