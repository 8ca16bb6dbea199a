/** Every interactive action id the app handles; manifest.json and the listeners both follow this list. */
export const ACTION_IDS = {
  hint: "question_hint",
  skip: "question_skip",
  modelAnswer: "question_model_answer",
  /** App Home controls for the daily question. */
  homeEditSchedule: "home_edit_schedule",
  homePause: "home_pause",
  homeResume: "home_resume",
  homeStop: "home_stop",
} as const;

/** callback_id of every modal the app opens (view_submission listeners follow this list). */
export const VIEW_IDS = {
  scheduleModal: "daily_schedule_modal",
} as const;
