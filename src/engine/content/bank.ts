import type { Question, Round } from "./schema.js";

export interface QuestionRef {
  round: Round;
  question: Question;
}

/** Read-only index over the validated rounds: lookups by id and by alias. */
export class QuestionBank {
  private readonly byQuestionId = new Map<string, QuestionRef>();
  private readonly byRoundName = new Map<string, Round>();

  constructor(readonly rounds: readonly Round[]) {
    for (const round of rounds) {
      this.byRoundName.set(round.id, round);
      for (const alias of round.aliases) this.byRoundName.set(alias, round);
      for (const question of round.questions) this.byQuestionId.set(question.id, { round, question });
    }
  }

  /** Accepts a round id or one of its aliases, case-insensitively. */
  findRound(name: string): Round | undefined {
    return this.byRoundName.get(name.trim().toLowerCase());
  }

  round(id: string): Round {
    const round = this.byRoundName.get(id);
    if (!round) throw new Error(`unknown round ${id}`);
    return round;
  }

  find(questionId: string): QuestionRef | undefined {
    return this.byQuestionId.get(questionId);
  }

  get(questionId: string): QuestionRef {
    const ref = this.byQuestionId.get(questionId);
    if (!ref) throw new Error(`unknown question ${questionId}`);
    return ref;
  }

  get questionCount(): number {
    return this.byQuestionId.size;
  }
}
