import { describe, expect, it } from "vitest";
import { parseDailyArgs, parsePauseArgs } from "../../src/engine/schedule/command.js";
import { ScheduleInputError } from "../../src/engine/schedule/errors.js";
import { parseTimeOfDay } from "../../src/engine/schedule/time-of-day.js";
import { describeDays } from "../../src/engine/schedule/weekdays.js";
import { makeBank } from "./support/fixtures.js";

const bank = makeBank();

function inputError(fn: () => unknown): ScheduleInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScheduleInputError) return e;
    throw e;
  }
  throw new Error("expected a ScheduleInputError");
}

describe("times people type", () => {
  it.each([
    ["9", 9, 0],
    ["9:00", 9, 0],
    ["09:30", 9, 30],
    ["9am", 9, 0],
    ["12am", 0, 0],
    ["12pm", 12, 0],
    ["5:15pm", 17, 15],
    ["5:15 p.m.", 17, 15],
    ["17:15", 17, 15],
    ["17h15", 17, 15],
    ["0:05", 0, 5],
    ["noon", 12, 0],
  ])("%s is %i:%i", (text, hour, minute) => {
    expect(parseTimeOfDay(text)).toEqual({ hour, minute });
  });

  it.each([
    ["25:00", /hours go from 0 to 23/],
    ["9:60", /minutes go from 00 to 59/],
    ["13pm", /with am\/pm the hour goes from 1 to 12/],
    ["9:5", /not a time I can read/],
    ["soon", /not a time I can read/],
  ])("refuses %s with the reason and an example", (text, reason) => {
    const error = inputError(() => parseTimeOfDay(text));
    expect(error.message).toMatch(reason);
    expect(error.example).toMatch(/^\/interview daily /);
  });
});

describe("/interview daily arguments", () => {
  it("reads time, days and rounds (aliases resolve to round ids, in loop order)", () => {
    expect(parseDailyArgs("9am mon,wed,fri be al", bank)).toEqual({
      kind: "set",
      target: "me",
      time: { hour: 9, minute: 0 },
      days: [1, 3, 5],
      rounds: ["alpha", "beta"],
    });
  });

  it("accepts 'every day', 'weekdays', ranges, spaced lists and a split '9 am'", () => {
    const days = (text: string) => {
      const c = parseDailyArgs(text, bank);
      return c.kind === "set" ? c.days : undefined;
    };
    expect(days("9:00 every day")).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(days("9:00 weekdays")).toEqual([1, 2, 3, 4, 5]);
    expect(days("9:00 tue-thu")).toEqual([2, 3, 4]);
    expect(days("9:00 fri-mon")).toEqual([0, 1, 5, 6]);
    expect(days("9 am mon, wed , fri")).toEqual([1, 3, 5]);
    expect(days("9:00 Monday Thursday")).toEqual([1, 4]);
    // Without days it is every day, without rounds every round.
    expect(parseDailyArgs("17:15", bank)).toMatchObject({ days: [0, 1, 2, 3, 4, 5, 6], rounds: [] });
  });

  it("shows, stops, and addresses the channel", () => {
    expect(parseDailyArgs("", bank)).toEqual({ kind: "show", target: "me" });
    expect(parseDailyArgs("off", bank)).toEqual({ kind: "off", target: "me" });
    expect(parseDailyArgs("channel off", bank)).toEqual({ kind: "off", target: "channel" });
    expect(parseDailyArgs("channel 9:30 weekdays gamma", bank)).toMatchObject({ kind: "set", target: "channel", rounds: ["gamma"] });
  });

  it("names the bad word and lists what is valid", () => {
    const round = inputError(() => parseDailyArgs("9:00 weekdays mlsdd", bank));
    expect(round.message).toContain('"mlsdd" is neither a day nor a round');
    expect(round.message).toContain("al, be, ga");
    const day = inputError(() => parseDailyArgs("9:00 mon,wdnesday", bank));
    expect(day.message).toContain('"wdnesday" is not a day');
    const noTime = inputError(() => parseDailyArgs("weekdays al", bank));
    expect(noTime.message).toMatch(/Say when/);
    const twice = inputError(() => parseDailyArgs("9:00 10:00", bank));
    expect(twice.message).toMatch(/one time only/);
    const channel = inputError(() => parseDailyArgs("channel 26:00", bank));
    expect(channel.example).toContain("/interview daily channel");
  });

  it("describes days the way people say them", () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe("weekdays");
    expect(describeDays([0, 1, 2, 3, 4, 5, 6])).toBe("every day");
    expect(describeDays([0, 1, 3])).toBe("Mon, Wed, Sun");
  });
});

describe("/interview pause arguments", () => {
  it("reads a number of days, and off", () => {
    expect(parsePauseArgs("3 days")).toEqual({ kind: "pause", target: "me", days: 3 });
    expect(parsePauseArgs("for 1 day")).toEqual({ kind: "pause", target: "me", days: 1 });
    expect(parsePauseArgs("2d")).toEqual({ kind: "pause", target: "me", days: 2 });
    expect(parsePauseArgs("channel 5")).toEqual({ kind: "pause", target: "channel", days: 5 });
    expect(parsePauseArgs("off")).toEqual({ kind: "resume", target: "me" });
  });

  it("refuses what is not a sensible number of days", () => {
    expect(inputError(() => parsePauseArgs("a while")).message).toContain('"a while" is not a number of days');
    expect(inputError(() => parsePauseArgs("0 days")).message).toMatch(/1 to 90 days/);
    expect(inputError(() => parsePauseArgs("")).example).toBe("/interview pause 3 days");
  });
});
