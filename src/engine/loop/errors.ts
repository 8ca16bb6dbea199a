import type { LoopDoc } from "./records.js";

/** `/interview loop` while one is running: the caller shows it instead of starting another. */
export class LoopAlreadyActiveError extends Error {
  constructor(readonly loop: LoopDoc) {
    super(`Mock loop ${loop.id} is still running; end it first.`);
    this.name = "LoopAlreadyActiveError";
  }
}

/** A command that needs a running loop (`/interview loop end`) when there is none. */
export class NoActiveLoopError extends Error {
  constructor(readonly userId: string) {
    super("You have no mock loop running. Start one with `/interview loop`.");
    this.name = "NoActiveLoopError";
  }
}
