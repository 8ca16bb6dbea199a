/** The request itself is wrong (unknown question, not a coding question): nothing was run. */
export class JudgeRequestError extends Error {
  constructor(
    readonly code: "unknown_question" | "not_a_coding_question",
    message: string,
  ) {
    super(message);
    this.name = "JudgeRequestError";
  }
}

/** The question's content cannot be judged (missing generator, oracle or checker): a content bug. */
export class JudgeContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JudgeContentError";
  }
}

/** The judge itself failed (sandbox could not start); the candidate's code is not to blame. */
export class JudgeInternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JudgeInternalError";
  }
}
