/**
 * Several scheduler instances over one shared DocumentStore, each with the real Slack deliverer against
 * a local Web API: what several app processes on one database look like, in one test process. An
 * instance can be "killed": from that moment its store and its Slack client never answer again, so
 * whatever it had in flight is left exactly as a SIGKILL would leave it.
 */
import { webApi } from "@slack/bolt";
import type { QuestionBank } from "../../../src/engine/content/bank.js";
import { OfflineGrader } from "../../../src/engine/grading/offline.js";
import { InterviewService } from "../../../src/engine/interview/service.js";
import type { Deliverer } from "../../../src/engine/schedule/deliverer.js";
import type { SubscriberKey } from "../../../src/engine/schedule/records.js";
import { ScheduleStore } from "../../../src/engine/schedule/schedule-store.js";
import { DailyScheduler, type DailySchedulerOptions } from "../../../src/engine/schedule/scheduler.js";
import { localParts } from "../../../src/engine/schedule/zones.js";
import type { DocumentStore } from "../../../src/engine/storage/documents.js";
import { InterviewStore } from "../../../src/engine/store/interview-store.js";
import { SlackDeliverer } from "../../../src/slack/schedule/deliverer.js";
import { MemoryLogger } from "./fixtures.js";
import { ScaledRetryAfter } from "./scaled-retry-after.js";

const never = <T>() => new Promise<T>(() => {});

/** A store that stops answering, mid-call included, once `dead()` says so. */
function killable(store: DocumentStore, dead: () => boolean): DocumentStore {
  const guard = <T>(call: () => Promise<T>): Promise<T> => (dead() ? never<T>() : call().then((v) => (dead() ? never<T>() : v)));
  const wrapped: DocumentStore = {
    open: (...a) => guard(() => store.open(...a)),
    peek: (...a) => guard(() => store.peek(...a)),
    update: (...a) => guard(() => store.update(...a)),
    list: (...a) => guard(() => store.list(...a)),
    remove: (...a) => guard(() => store.remove(...a)),
    verify: (...a) => guard(() => store.verify(...a)),
    forWorkspace: (w) => killable(store.forWorkspace(w), dead),
    close: () => store.close(),
  };
  return wrapped;
}

export interface Instance {
  id: string;
  scheduler: DailyScheduler;
  logger: MemoryLogger;
  /** Posts this instance's Slack client got an answer for. */
  posts: number;
  /** From now on nothing of this instance answers; with `afterPosts`, right after that many posts reached Slack. */
  kill(afterPosts?: number): void;
  readonly killed: boolean;
}

export function startInstance(input: {
  id: string;
  docs: DocumentStore;
  bank: QuestionBank;
  apiUrl: string;
  /** Divides the fake Slack's `Retry-After: 1` so rate limits are waited out on a faster clock. */
  retryAfterScale?: number;
  options?: Partial<DailySchedulerOptions>;
}): Instance {
  let killed = false;
  let killAfter = Infinity;
  const dead = () => killed;
  const docs = killable(input.docs, dead);
  const client = new webApi.WebClient("xoxb-multi", {
    slackApiUrl: input.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  const slack = new ScaledRetryAfter(new SlackDeliverer(client), input.retryAfterScale ?? 1);
  const instance: Instance = {
    id: input.id,
    scheduler: undefined as unknown as DailyScheduler,
    logger: new MemoryLogger(),
    posts: 0,
    kill(afterPosts) {
      if (afterPosts === undefined || instance.posts >= afterPosts) killed = true;
      else killAfter = afterPosts;
    },
    get killed() {
      return killed;
    },
  };
  const deliverer: Deliverer = {
    async post(request) {
      if (killed) return never();
      const posted = await slack.post(request);
      instance.posts += 1;
      if (instance.posts >= killAfter) killed = true; // the post reached Slack; the process died before hearing back
      return killed ? never() : posted;
    },
    findPosted: (query) => (killed ? never() : slack.findPosted(query).then((v) => (killed ? never<typeof v>() : v))),
  };
  const interview = new InterviewService({ bank: input.bank, store: new InterviewStore(docs), grader: new OfflineGrader(), maxAnswerChars: 10_000 });
  instance.scheduler = new DailyScheduler({
    store: new ScheduleStore(docs),
    interview,
    deliverer,
    timeZoneOf: async () => undefined,
    logger: instance.logger,
    multiInstance: true,
    instanceId: input.id,
    ...input.options,
  });
  return instance;
}

/** A zone where a few minutes ago was still today, so a slot then is "missed earlier today" and sent at start. */
export function zoneWithRoom(now: Date): string {
  return ["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"].find((tz) => {
    const [h, m] = localParts(now, tz).time.split(":").map(Number);
    return h! * 60 + m! >= 5 && h! * 60 + m! <= 23 * 60 + 50;
  })!;
}

/**
 * Subscribes `count` people (`<prefix><i>`) to a daily slot two minutes ago, written straight to the store
 * as an import would. `dmChannels`: their DM is known (`D…`), so a fan-out needs no conversations.open;
 * `concurrency`: how many are written at once.
 */
export async function subscribersDueNow(
  docs: DocumentStore,
  count: number,
  prefix = "U",
  options: { dmChannels?: boolean; concurrency?: number } = {},
): Promise<{ keys: SubscriberKey[]; tz: string }> {
  const now = new Date();
  const tz = zoneWithRoom(now);
  const slotAt = new Date(now.getTime() - 2 * 60_000);
  const [hour, minute] = localParts(slotAt, tz).time.split(":").map(Number);
  const store = new ScheduleStore(docs);
  const earlier = new Date(now.getTime() - 3_600_000).toISOString();
  const keys = Array.from({ length: count }, (_, i): SubscriberKey => ({ kind: "user", id: `${prefix}${i}` }));
  const subscribe = (key: SubscriberKey) =>
    store.update(key, (draft) => {
      draft.tz = tz;
      if (options.dmChannels) draft.dmChannel = `D${key.id.slice(1)}`;
      draft.subscription = {
        time: { hour: hour!, minute: minute! },
        days: [0, 1, 2, 3, 4, 5, 6],
        rounds: [],
        ownerId: key.id,
        createdAt: earlier,
        updatedAt: earlier,
        updatedBy: key.id,
        effectiveFrom: earlier,
      };
    });
  const batch = options.concurrency ?? 1;
  for (let i = 0; i < keys.length; i += batch) await Promise.all(keys.slice(i, i + batch).map(subscribe));
  return { keys, tz };
}
