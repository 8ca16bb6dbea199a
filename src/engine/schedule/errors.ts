/**
 * Something the person typed (a time, a day, a round, a pause length) that we cannot use. The
 * message says what was wrong and `example` shows a command that works, so the reply can show both.
 */
export class ScheduleInputError extends Error {
  constructor(
    message: string,
    readonly example: string,
  ) {
    super(message);
    this.name = "ScheduleInputError";
  }
}

/** Changing a channel's subscription is reserved to its creator and admins. */
export class ScheduleNotAllowedError extends Error {
  constructor(
    readonly channelId: string,
    readonly ownerId: string,
  ) {
    super(`Only <@${ownerId}> (who set it up) or a workspace admin can change this channel's daily question.`);
    this.name = "ScheduleNotAllowedError";
  }
}

/** The subscriber has no subscription to show, pause or stop. */
export class NoSubscriptionError extends Error {
  constructor(readonly subscriberId: string) {
    super("There is no daily question set up here yet.");
    this.name = "NoSubscriptionError";
  }
}
