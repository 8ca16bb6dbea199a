/** Every interactive action id the app handles; manifest.json and the listeners both follow this list. */
export const ACTION_IDS = {
  hint: "question_hint",
  skip: "question_skip",
  modelAnswer: "question_model_answer",
} as const;
