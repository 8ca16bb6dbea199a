import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { loadRounds } from "../../../src/engine/content/load.js";
import { contentPaths } from "../../../src/engine/content/paths.js";
import { questionMessage } from "../../../src/slack/blocks/question.js";
import { helpBlocks, roundsBlocks } from "../../../src/slack/blocks/help.js";
import { modelAnswerBlocks } from "../../../src/slack/blocks/model-answer.js";
import { loopQuestionMessage } from "../../../src/slack/blocks/loop-round.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));

describe("question and help builders", () => {
  it("posts the round, the prompt and Hint/Skip buttons, but no model answer before an answer", () => {
    const { round, question } = bank.get("mlsd-grocery-search-ranking");
    const { blocks, text } = questionMessage(round, question);
    const rendered = JSON.stringify(blocks);
    expect(rendered).toContain(round.title);
    expect(rendered).toContain("fish");
    expect(rendered).toContain("question_hint");
    expect(rendered).toContain("question_skip");
    expect(rendered).not.toContain("question_model_answer");
    expect(rendered).not.toContain(question.referenceAnswer.slice(0, 60));
    expect(text).toContain(round.title);
  });

  it("gives a chained seed question its context when asked on its own; the loop keeps the seed's wording", () => {
    for (const id of ["bh-do-differently", "bh-best-solution"]) {
      const { round, question } = bank.get(id);
      expect(question.standaloneContext, id).toBeTruthy();
      const { blocks, text } = questionMessage(round, question);
      expect(JSON.stringify(blocks)).toContain(question.standaloneContext!.slice(0, 40));
      expect(text).toContain(question.standaloneContext!.slice(0, 40));
      const loop = JSON.stringify(loopQuestionMessage(round, question, 0, 2).blocks);
      expect(loop).toContain(question.prompt.slice(0, 30));
      expect(loop).not.toContain(question.standaloneContext!.slice(0, 40));
    }
  });

  it("shows both signatures for a coding question", () => {
    const { round, question } = bank.get("two-sum-zero");
    const rendered = JSON.stringify(questionMessage(round, question).blocks);
    expect(rendered).toContain("zero_sum_pairs");
    expect(rendered).toContain("zeroSumPairs");
  });

  it("lists every round with its aliases and question count", () => {
    const rendered = JSON.stringify(roundsBlocks(bank.rounds).blocks);
    for (const r of bank.rounds) expect(rendered).toContain(`\`${r.id}\``);
    expect(rendered).toMatch(/\d+ questions/);
  });

  it("opens help with the problem and an example", () => {
    const rendered = JSON.stringify(helpBlocks([{ usage: "/interview ask [round]", description: "ask" }], 'Unknown subcommand "<dance>".').blocks);
    expect(rendered).toContain("&lt;dance&gt;");
    expect(rendered).toContain("/interview ask mlsd");
  });

  it("leads the model answer with what this person missed and splits long answers", () => {
    const { question } = bank.get("mlsd-grocery-search-ranking");
    const { blocks } = modelAnswerBlocks({ kind: "model-answer", question, referenceAnswer: "word ".repeat(1500), missedPoints: ["Position bias"] });
    expect(JSON.stringify(blocks[0])).toContain("Position bias");
    expect(blocks.length).toBeGreaterThan(2);
    for (const b of blocks) if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });
});

describe("every question's text as Slack receives it", () => {
  /** Each `<` must open a Slack token; content never does, so none may remain. */
  const strayAngle = (text: string) => /<(?![@#!]|https?:)/.test(text);

  it("escapes prompts with < and > in the blocks and in the text fallback, for every question in the bank", async () => {
    const { loopRoundMessage, loopQuestionMessage } = await import("../../../src/slack/blocks/loop-round.js");
    let withAngles = 0;
    for (const round of bank.rounds) {
      for (const question of round.questions) {
        if (/[<>]/.test(question.prompt)) withAngles++;
        const messages = [
          questionMessage(round, question),
          loopRoundMessage({ round, roundIndex: 0, roundCount: 5, questionCount: 2, timeGuideMinutes: 45 }, question),
          loopQuestionMessage(round, question, 1, 2),
          modelAnswerBlocks({ kind: "model-answer", question, referenceAnswer: question.referenceAnswer, missedPoints: ["a <b> & c"] }),
        ];
        for (const m of messages) {
          expect(strayAngle(m.text), `${question.id}: ${m.text}`).toBe(false);
          expect(strayAngle(JSON.stringify(m.blocks)), question.id).toBe(false);
        }
      }
    }
    // The bank does have prompts such as "start < end", so this checks something.
    expect(withAngles).toBeGreaterThan(0);
  });
});
