/** One preparation per question, shared by concurrent submissions and kept; a failed one is retried next time. */
import type { Question } from "../content/schema.js";
import { prepareProblem, type PreparedProblem } from "./materialize.js";

export class ProblemCache {
  private readonly prepared = new Map<string, Promise<PreparedProblem>>();

  get(question: Question): Promise<PreparedProblem> {
    let pending = this.prepared.get(question.id);
    if (!pending) {
      pending = prepareProblem(question);
      this.prepared.set(question.id, pending);
      pending.catch(() => this.prepared.delete(question.id));
    }
    return pending;
  }
}
