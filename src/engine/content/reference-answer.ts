import type { Language, Question } from "./schema.js";

/**
 * The reference answer in the language the candidate wrote: a coding question's prose stays, its
 * Python solution is replaced by the JavaScript reference when they answered in JavaScript.
 */
export function referenceAnswerFor(question: Question, language: Language | string | undefined): string {
  const text = question.referenceAnswer;
  const coding = question.coding;
  if (!coding || language !== "javascript") return text;
  const js = "```js\n" + coding.reference.javascript.trim() + "\n```";
  const replaced = text.replace(/```(?:python|py)\n[\s\S]*?```/g, () => js);
  return replaced === text ? `${text.trim()}\n\n${js}` : replaced;
}
