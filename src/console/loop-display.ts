import type { Question, Round } from "../engine/content/schema.js";
import type { LoopDisplay, LoopOutput, RoundOpening } from "../engine/loop/outputs.js";
import type { ThreadKey } from "../engine/store/records.js";
import { renderDebrief, renderLoopQuestion, renderRoundIntro, renderRoundSummary } from "./loop-render.js";
import { renderAnswerOutcome } from "./render.js";
import type { ConsoleSession } from "./session.js";
import { showWorking } from "./working.js";

/**
 * The mock-loop engine's outputs as terminal text. The console has no threads: a round "opens" by
 * printing its introduction, at a key of its own so the engine can record it like a Slack thread.
 */
export class ConsoleLoopDisplay implements LoopDisplay {
  private working?: () => void;
  private label = "Grading your answer";

  constructor(private readonly session: ConsoleSession) {}

  /** What the working line says while the next answer is graded. */
  grading(label: string): void {
    this.label = label;
  }

  /** Prints a question with how to answer it (and the probe waiting for an answer, on resuming). */
  question(round: Round, question: Question, index: number, total: number, pendingFollowUp?: string): void {
    this.session.say("\n" + renderLoopQuestion(round, question, index, total));
    if (pendingFollowUp) this.session.say(`\nFollow-up: ${pendingFollowUp}`);
    this.session.say(`\n${this.session.howToAnswer(question)}`);
  }

  async openRound(opening: RoundOpening): Promise<ThreadKey> {
    this.session.say("\n" + renderRoundIntro(opening.round, opening.roundIndex, opening.roundCount, opening.questionCount, opening.timeGuideMinutes));
    this.question(opening.round, opening.question, 0, opening.questionCount);
    return { channel: "console", ts: `loop-${opening.loop.id}-${opening.roundIndex}` };
  }

  async show(output: LoopOutput): Promise<void> {
    if (output.kind !== "grading") this.stopWorking();
    const say = (text = "") => this.session.say(text);
    switch (output.kind) {
      case "grading":
        this.working = showWorking(this.session.out, this.label, this.session.input.interactive);
        return;
      case "critique": {
        const text = renderAnswerOutcome(output.outcome, (nextFollowUp) =>
          nextFollowUp ? "Answer the follow-up (then /done), or type `next` to move on." : "That's all the follow-ups: type `next` to move on, or `model answer`.",
        );
        if (text !== undefined) say(text);
        return;
      }
      case "after-model-answer":
        return say("You've seen the model answer for this question, so further replies aren't graded. Type `next`.");
      case "question-done":
        return say("That's all the follow-ups on this question. Type `next` to move on, or `model answer`.");
      case "hint":
        return say(`Hint ${output.index}/${output.total}: ${output.text}${output.cap ? `\n(${output.cap.dimensionTitle} is now capped at ${output.cap.cap}/4 on this question.)` : ""}`);
      case "no-more-hints":
        return say("No more hints for this question.");
      case "answer-first":
        return say("Answer first, then the model answer unlocks.");
      case "model-answer":
        await this.session.modelAnswer(output.answer.referenceAnswer, output.answer.missedPoints);
        return say("\nType `next` when you're ready to move on.");
      case "next-question":
        return this.question(output.round, output.question, output.questionIndex, output.questionCount);
      case "round-ended":
        // Between rounds: how the round went and what to practise, from the same scoring as the debrief.
        if (!output.next) return say(`\nThat's the end of the ${output.round.title} round — and of the loop.`);
        return say(output.summary ? `\n${renderRoundSummary(output.summary.round, output.summary.focus)}` : `\nThat's the end of the ${output.round.title} round (no answer was graded in it).`);
      case "round-opened":
        return;
      case "loop-ended":
        return say(
          output.answered
            ? "Mock onsite ended — recorded as abandoned. Your debrief of the rounds you sat:"
            : "Mock onsite ended before any answer, so there is nothing to debrief. Start again whenever you like: npm run practice -- --loop",
        );
      case "debrief":
        return say("\n" + renderDebrief(output.debrief));
      case "not-current":
        return say("This question is no longer open in your mock onsite.");
      case "failed":
        return say("Sorry — something went wrong on our side. Your answer is still on screen; submit it again in a minute.");
    }
  }

  /** Ends the working line if grading stopped without an output (an error). */
  stopWorking(): void {
    this.working?.();
    this.working = undefined;
  }
}
