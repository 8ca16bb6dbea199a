/**
 * Bench, part 3 (schedule): 5,000 subscribers due in the same minute, delivered through the real
 * scheduler and the real Slack deliverer (Web API client) against a local fake Slack that
 * rate-limits with 429 + Retry-After. Reports time until all are delivered, duplicates, misses, 429s
 * and memory.
 *
 * Time scaling, so the run fits in well under a minute: the fake answers 429 with `Retry-After: 1`
 * (Slack's usual value) and the bench divides every Retry-After by RETRY_AFTER_SCALE before the
 * scheduler sees it; the fake allows POSTS_PER_SECOND chat.postMessage calls per second workspace-wide
 * and the scheduler is configured slightly above that, so 429s really happen and are waited out.
 * Real Slack allows about one message per second per channel and an unpublished workspace-wide rate;
 * at the default SCHEDULE_SEND_RATE of 5/s the same 5,000 DMs take about 5000 / 5 = 1000 s ≈ 17 min.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { QuestionBank } from "../src/engine/content/bank.js";
import { loadRounds } from "../src/engine/content/load.js";
import { contentPaths } from "../src/engine/content/paths.js";
import { OfflineGrader } from "../src/engine/grading/offline.js";
import { InterviewService } from "../src/engine/interview/service.js";
import { InterviewStore } from "../src/engine/store/interview-store.js";
import { systemClock, type Clock } from "../src/engine/schedule/clock.js";
import { ScheduleStore } from "../src/engine/schedule/schedule-store.js";
import { DailyScheduler } from "../src/engine/schedule/scheduler.js";
import { EVERY_DAY } from "../src/engine/schedule/weekdays.js";
import { localParts } from "../src/engine/schedule/zones.js";
import { openDm } from "../src/slack/conversations.js";
import { SlackDeliverer } from "../src/slack/schedule/deliverer.js";
import { startLimitedSlack } from "../test/schedule/support/limited-slack.js";
import { ScaledRetryAfter } from "../test/schedule/support/scaled-retry-after.js";
import { JsonDocs } from "../src/infra/embedded/json-docs.js";

const SUBSCRIBERS = 5_000;
const POSTS_PER_SECOND = 250;
const SEND_RATE = 300;
const RETRY_AFTER_SCALE = 20;
const LATENCY_MS = 15;
const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney"];

/** The real clock shifted by an adjustable offset, so "the minute everyone is due" comes when we want. */
function shiftedClock(): Clock & { jumpTo(at: Date): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    setTimer: systemClock.setTimer,
    clearTimer: systemClock.clearTimer,
    jumpTo(at: Date) {
      offset = at.getTime() - Date.now();
    },
  };
}

export async function runScheduleBench(options: { roundsDir?: string } = {}): Promise<void> {
  const slack = await startLimitedSlack({ postPerSecond: POSTS_PER_SECOND, openPerSecond: 1000, latencyMs: LATENCY_MS });
  const dataDir = mkdtempSync(join(tmpdir(), "bench-schedule-"));
  const client: WebClient = new webApi.WebClient("xoxb-bench", {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  const clock = shiftedClock();
  const bank = new QuestionBank(loadRounds(options.roundsDir ?? contentPaths().roundsDir));
  const interviewStore = new InterviewStore(new JsonDocs(dataDir));
  const interview = new InterviewService({ bank, store: interviewStore, grader: new OfflineGrader(), maxAnswerChars: 12_000 });
  const zoneOf = new Map<string, string>();
  const problems: string[] = [];
  const scheduler = new DailyScheduler({
    store: new ScheduleStore(new JsonDocs(dataDir)),
    interview,
    deliverer: new ScaledRetryAfter(new SlackDeliverer(client), RETRY_AFTER_SCALE),
    // The adapter caches users.info (SlackPeople); the bench skips that round trip entirely.
    timeZoneOf: async (id) => zoneOf.get(id),
    clock,
    pacing: { ratePerSecond: SEND_RATE, burst: SEND_RATE, concurrency: 16, perChannelIntervalMs: 1000 },
    logger: { info: () => undefined, warn: (m) => problems.push(m), error: (m) => problems.push(m) },
  });

  try {
    // Everyone's local time at `due` is their subscribed time: one instant, seven timezones.
    const due = new Date(Math.ceil((Date.now() + 120_000) / 60_000) * 60_000);
    const setupStart = performance.now();
    const users = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ id: `U${String(i).padStart(6, "0")}`, tz: ZONES[i % ZONES.length]! }));
    for (const u of users) zoneOf.set(u.id, u.tz);
    // DMs are opened when people subscribe (see the daily subcommand); the first 100 go through the fake.
    const dms = new Map<string, string>();
    for (const u of users.slice(0, 100)) dms.set(u.id, await openDm(client, u.id));
    for (let i = 0; i < users.length; i += 250) {
      await Promise.all(
        users.slice(i, i + 250).map(async (u) => {
          const [hh, mm] = localParts(due, u.tz).time.split(":").map(Number);
          const dmChannel = dms.get(u.id) ?? `D${u.id.slice(1)}`;
          await scheduler.subscribe({ key: { kind: "user", id: u.id }, actor: { userId: u.id }, time: { hour: hh!, minute: mm! }, days: EVERY_DAY, rounds: [], dmChannel });
        }),
      );
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;

    clock.jumpTo(new Date(due.getTime() - 1_000));
    await scheduler.start();
    const baseRss = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    let peakRss = baseRss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 25);
    // Wait for the slot to come due, then for every delivery to finish.
    while (clock.now() < due || scheduler.stats.queued === 0) {
      if (slack.posts.length >= SUBSCRIBERS) break;
      await new Promise((r) => setTimeout(r, 10));
      if (clock.now().getTime() > due.getTime() + 5_000 && scheduler.stats.queued === 0) break;
    }
    await scheduler.drained();
    const deliveredAt = clock.now().getTime();
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    scheduler.stop();

    const perUser = new Map<string, number>();
    for (const p of slack.posts) perUser.set(p.channel, (perUser.get(p.channel) ?? 0) + 1);
    const duplicates = [...perUser.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const misses = users.filter((u) => !perUser.has(`D${u.id.slice(1)}`)).length;
    let threadsRecorded = 0;
    for (const p of slack.posts) if (await interview.thread({ channel: p.channel, ts: p.ts })) threadsRecorded += 1;

    const seconds = (deliveredAt - due.getTime()) / 1000;
    console.log(`schedule: ${SUBSCRIBERS} subscribers in ${ZONES.length} timezones due at the same instant (setup ${setupSeconds.toFixed(1)} s, not timed)`);
    console.log(
      `schedule: fake Slack allows ${POSTS_PER_SECOND} chat.postMessage/s (${POSTS_PER_SECOND / 10} per 100 ms) and 1/s per channel, ${LATENCY_MS} ms latency, 429 + Retry-After: 1 s scaled 1/${RETRY_AFTER_SCALE}; scheduler rate ${SEND_RATE}/s`,
    );
    console.log(
      `schedule: all delivered ${seconds.toFixed(2)} s after the slot (${(SUBSCRIBERS / seconds).toFixed(0)} msg/s); ` +
        `process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (includes the fake Slack server; compare with wall time to see machine contention)`,
    );
    console.log(`schedule: duplicates ${duplicates} (must be 0), misses ${misses} (must be 0), threads recorded ${threadsRecorded}/${slack.posts.length}`);
    console.log(`schedule: 429 responses ${slack.counts.rateLimited}, chat.postMessage calls ${slack.counts.postMessage}, conversations.open during fan-out 0 (DMs opened at subscribe)`);
    console.log(`schedule: peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (+${((peakRss - baseRss) / 1024 / 1024).toFixed(0)} MiB during the fan-out), peak heap ${(peakHeap / 1024 / 1024).toFixed(0)} MiB`);
    console.log(`schedule: at the default SCHEDULE_SEND_RATE=5/s the same fan-out would take ~${Math.round(SUBSCRIBERS / 5 / 60)} min of real time`);
    if (problems.length > 0) console.log(`schedule: ${problems.length} warning(s), first: ${problems[0]}`);
    if (duplicates > 0 || misses > 0) process.exitCode = 1;
  } finally {
    scheduler.stop();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runScheduleBench({ roundsDir: process.env.BENCH_ROUNDS_DIR });
