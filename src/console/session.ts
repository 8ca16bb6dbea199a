import type { Question } from "../engine/content/schema.js";
import { codeFromPlainText } from "../engine/judge/index.js";
import { LineInput } from "./line-input.js";
import { renderMarkdown } from "./markdown.js";
import { HOW_TO_SUBMIT, SUBMIT_LINE } from "./read-answer.js";
import { withWorking } from "./working.js";

/** What the practice console and the mock-loop console share: output, input, and the waits in between. */
export class ConsoleSession {
  readonly input: LineInput;
  constructor(
    readonly out: NodeJS.WritableStream,
    input: NodeJS.ReadableStream,
  ) {
    this.input = new LineInput(input, out);
  }

  say(text = ""): void {
    this.out.write(`${text}\n`);
  }

  /** Said when someone presses Enter three times in a row in an answer. */
  remindHowToSubmit(): void {
    this.say(`(Blank lines are kept in your answer. Type ${SUBMIT_LINE} on a line of its own to submit it, or press Ctrl-D.)`);
  }

  howToAnswer(question: Question): string {
    return question.coding
      ? `Paste your code (a \`\`\`python or \`\`\`js block, or just the code), then type ${SUBMIT_LINE} on a line of its own — or press Ctrl-D.`
      : HOW_TO_SUBMIT;
  }

  /** The code in a typed answer to a coding question (fenced or not); undefined for other questions. */
  codeIn(question: Question, text: string): ReturnType<typeof codeFromPlainText> {
    return question.coding ? codeFromPlainText(text) : undefined;
  }

  /** What the working line says while an answer is graded: the judge's test count for code, "grading" for prose. */
  workingLabel(question: Question, code: ReturnType<typeof codeFromPlainText>): string {
    return question.coding && code
      ? `Running your ${code.language === "python" ? "Python" : "JavaScript"} code against ${question.coding.examples.length + question.coding.tests.length} tests, then grading`
      : "Grading your answer";
  }

  /** Grades an answer with a visible working line. */
  async grade<T>(question: Question, text: string, work: (code: ReturnType<typeof codeFromPlainText>) => Promise<T>): Promise<T> {
    const code = this.codeIn(question, text);
    return withWorking(this.out, this.workingLabel(question, code), this.input.interactive, () => work(code));
  }

  /** The model answer (already in the candidate's language for coding questions), rendered Markdown. */
  async modelAnswer(referenceAnswer: string, missedPoints: readonly string[]): Promise<void> {
    if (missedPoints.length > 0) this.say(`What you missed:\n${missedPoints.map((p) => `  - ${p}`).join("\n")}\n`);
    this.say("Model answer:");
    this.say(await renderMarkdown(referenceAnswer));
  }

  close(): void {
    this.input.close();
  }
}

