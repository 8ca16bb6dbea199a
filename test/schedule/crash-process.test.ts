import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import { localParts } from "../../src/engine/schedule/zones.js";
import { tempDir, waitFor } from "./support/fixtures.js";
import { startLimitedSlack, type LimitedSlack } from "./support/limited-slack.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const CHILD = fileURLToPath(new URL("./support/crash-child.ts", import.meta.url));
const SUBSCRIBERS = 150;

function startChild(dataDir: string, apiUrl: string): { child: ChildProcess; output: () => string } {
  // tsx as a loader, not its CLI: the CLI runs the script in a grandchild that SIGKILL would miss.
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, apiUrl], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** A zone where two minutes ago was still today, so a slot then counts as "missed earlier today". */
function zoneWithRoom(now: Date): string {
  return ["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"].find((tz) => {
    const [h, m] = localParts(now, tz).time.split(":").map(Number);
    return h! * 60 + m! >= 5 && h! * 60 + m! <= 23 * 60 + 50;
  })!;
}

describe("a real process killed with SIGKILL in the middle of a fan-out", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let slack: LimitedSlack;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    slack = await startLimitedSlack({ postPerSecond: 1000, openPerSecond: 1000, latencyMs: 5 });
  });
  afterEach(async () => {
    for (const c of children) c.kill("SIGKILL");
    await slack.close();
    await cleanup();
  });

  it("neither duplicates nor misses after a restart", async () => {
    const now = new Date();
    const tz = zoneWithRoom(now);
    const slotAt = new Date(now.getTime() - 2 * 60_000);
    const [hour, minute] = localParts(slotAt, tz).time.split(":").map(Number);
    const store = new ScheduleStore(new JsonDocs(dir));
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const doc = await store.open({ kind: "user", id: `U${i}` });
      doc.data.tz = tz;
      doc.data.subscription = {
        time: { hour: hour!, minute: minute! },
        days: [0, 1, 2, 3, 4, 5, 6],
        rounds: [],
        ownerId: `U${i}`,
        createdAt: new Date(now.getTime() - 3_600_000).toISOString(),
        updatedAt: new Date(now.getTime() - 3_600_000).toISOString(),
        updatedBy: `U${i}`,
        effectiveFrom: new Date(now.getTime() - 3_600_000).toISOString(),
      };
      await doc.write();
    }

    const first = startChild(dir, slack.apiUrl);
    children.push(first.child);
    await waitFor(() => slack.posts.length >= SUBSCRIBERS / 3, 20_000);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const postedBeforeKill = slack.posts.length;
    const unconfirmed = (await new ScheduleStore(new JsonDocs(dir)).all()).flatMap((d) => d.data.ledger).filter((e) => e.state === "sending");
    expect(unconfirmed.length).toBeGreaterThan(0); // the kill did land mid-delivery
    expect(postedBeforeKill).toBeLessThan(SUBSCRIBERS);

    const second = startChild(dir, slack.apiUrl);
    children.push(second.child);
    await waitFor(() => second.output().includes("drained"), 20_000);

    const perChannel = new Map<string, number>();
    for (const p of slack.posts) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
    expect(perChannel.size).toBe(SUBSCRIBERS);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    // Deliveries the kill left unconfirmed were looked up, not posted again.
    expect(slack.counts.history).toBeGreaterThan(0);
  }, 60_000);
});
