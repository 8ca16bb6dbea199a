import type { Question, Round } from "../content/schema.js";
import type { AnswerOutcome, CodeSubmission, ModelAnswerOutcome } from "../interview/service.js";
import type { ThreadKey } from "../store/records.js";
import type { Debrief, LoopDoc } from "./records.js";

type DebriefRound = Debrief["rounds"][number];

/**
 * What one step of a mock onsite shows the candidate, in order, with no chat platform in it: the Slack
 * adapter renders each with its Block Kit builders, the console as text. Outputs marked *thread* belong
 * in the thread the reply or command came from; the others stand in the loop's conversation.
 */
export type LoopOutput =
  /** *thread* — an answer was taken and is being graded (grading may take a while): a receipt. */
  | { kind: "grading" }
  /** *thread* — the grade of an answer, or why it could not be graded (empty, too long, needs code…). */
  | { kind: "critique"; outcome: AnswerOutcome; roundTitle: string; threadTs: string; followUpPending: boolean }
  /** *thread* — the next rung of the hint ladder, with the score cap it brings in a loop. */
  | { kind: "hint"; index: number; total: number; text: string; cap?: { dimensionTitle: string; cap: number } }
  | { kind: "no-more-hints"; total: number }
  /** *thread* — the reference answer and the key points this candidate missed. */
  | { kind: "model-answer"; answer: Extract<ModelAnswerOutcome, { kind: "model-answer" }> }
  /** *thread* — `model answer` before any answer. */
  | { kind: "answer-first" }
  /** *thread* — a reply to a question whose model answer was shown: not graded. */
  | { kind: "after-model-answer" }
  /** *thread* — a reply after every follow-up was asked and answered: the candidate moves on with `next`. */
  | { kind: "question-done" }
  /** *thread* — the round's next question, asked in the round's thread. */
  | { kind: "next-question"; round: Round; question: Question; questionIndex: number; questionCount: number }
  /**
   * *thread* — the round is over: its scores (absent when nothing in it was graded) and where the loop
   * goes next — the next round now, at `dueAt` under daily pacing, or (no `next`) the debrief.
   */
  | { kind: "round-ended"; round: Round; summary?: { round: DebriefRound; focus: Debrief["focus"] }; next?: { round: Round; dueAt?: Date; tz?: string } }
  /** A round's first message was posted (through `LoopDisplay.openRound`) and its thread recorded. */
  | { kind: "round-opened"; loop: LoopDoc; roundIndex: number; thread: ThreadKey }
  /** *thread* — the loop was abandoned; `answered` when a partial debrief follows. */
  | { kind: "loop-ended"; answered: boolean }
  /** The debrief, a message of its own: it closes the whole loop, not one round. */
  | { kind: "debrief"; loop: LoopDoc; debrief: Debrief; focusFed: boolean }
  /** *thread* — a reply in a thread that is not the current question's: why it is not taken, and where the loop is. */
  | { kind: "not-current"; reason: "completed" | "abandoned" | "round-over"; current?: { title: string; open: boolean } }
  /** *thread* — something failed on our side and nothing more will happen for this reply: it may be sent again. */
  | { kind: "failed"; userId: string };

/** A round about to open: its first question starts a new thread in the loop's conversation. */
export interface RoundOpening {
  loop: LoopDoc;
  roundIndex: number;
  round: Round;
  question: Question;
  roundCount: number;
  questionCount: number;
  timeGuideMinutes: number;
}

/**
 * Where a loop's outputs go: implemented by each adapter (Slack, console) and called in order while the
 * person's loop is held, so two replies typed in quick succession show their outputs in order.
 */
export interface LoopDisplay {
  show(output: LoopOutput): Promise<void>;
  /** Posts a round's first message as a new thread; returns where replies to it will arrive. */
  openRound(opening: RoundOpening): Promise<ThreadKey>;
}

/** A reply in a loop round's thread, as the chat adapter received it. */
export interface LoopReply {
  /** The reply's id (the inbox's): the answer's id, so a reply handled again after a crash is graded once. */
  id?: string;
  thread: ThreadKey;
  userId: string;
  /** Plain text (chat markup undone). */
  text: string;
  code?: CodeSubmission;
}
