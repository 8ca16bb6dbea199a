/**
 * /healthz, /readyz and /metrics on the real app in HTTP mode (PORT=0), beside /slack/events, driven
 * with signed Slack requests against the fake Slack Web API (and the fake OpenAI server).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ReadinessReport } from "../../src/ops/readiness.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { metricTypes, sampleSum } from "../support/prometheus.js";

const ANSWER = [
  "I would retrieve candidates with BM25 plus embeddings, then rank them with a LambdaMART model.",
  "Offline I'd measure NDCG@10 on logged clicks, online the add-to-cart rate per search in an A/B test.",
].join(" ");

let app: TestApp | undefined;
let openai: FakeOpenAI | undefined;
afterEach(async () => {
  await app?.close();
  await openai?.close();
  app = openai = undefined;
});

const base = (t: TestApp) => `http://127.0.0.1:${t.running.opsPort}`;
const get = (t: TestApp, path: string) => fetch(`${base(t)}${path}`);

/** Asks a question by DM and answers it in its thread; resolves when the critique is posted. */
async function answerOnce(t: TestApp, ts = "1800000000.000200"): Promise<void> {
  await postSigned(t.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: "U111", channelId: "D111", responseUrl: t.slack.responseUrl() }), "application/x-www-form-urlencoded");
  await t.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
  const threadTs = String(t.slack.callsTo("chat.postMessage")[0]!.response!.ts);
  while (!(await t.running.engine.interview.thread({ channel: "D111", ts: threadTs }))) await new Promise((r) => setTimeout(r, 10));
  const reply = await postSigned(t.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", text: ANSWER, ts, thread_ts: threadTs }), "application/json");
  expect(reply.status).toBe(200);
  await t.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs), 20_000);
}

describe("operations endpoints (HTTP mode)", () => {
  it("answers /healthz and /readyz with the judge's self-test state, on the port serving /slack/events", async () => {
    app = await startTestApp();
    expect(app.running.opsPort).toBe(app.running.port);
    const health = await get(app, "/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const ready = await get(app, "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.headers.get("content-type")).toContain("application/json");
    const body = (await ready.json()) as ReadinessReport;
    expect(body).toMatchObject({ ready: true, status: "ready", failing: [] });
    const judge = body.probes.find((p) => p.name === "judge");
    expect(judge).toMatchObject({ ok: app.running.engine.judge.available });
    expect(judge?.detail).toContain(app.running.engine.judge.mode);
    // The other routes are still Slack's: an unsigned request to /slack/events is refused.
    expect((await fetch(app.eventsUrl, { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("/readyz is 503 naming a failing probe, and a hanging probe times out instead of hanging the endpoint", async () => {
    app = await startTestApp();
    const remove = app.running.readiness.register({ name: "database", check: async () => ({ ok: false, detail: "connection refused" }) });
    const failing = await get(app, "/readyz");
    expect(failing.status).toBe(503);
    const body = (await failing.json()) as ReadinessReport;
    expect(body).toMatchObject({ ready: false, status: "not ready", failing: ["database"] });
    expect(body.probes.find((p) => p.name === "database")).toMatchObject({ ok: false, detail: "connection refused" });
    remove();
    expect((await get(app, "/readyz")).status).toBe(200);

    let calls = 0;
    const aborted: unknown[] = [];
    app.running.readiness.register({
      name: "migrations",
      check: (signal) => {
        calls += 1;
        signal.addEventListener("abort", () => aborted.push(signal.reason));
        return new Promise(() => undefined); // never answers, ignores the abort
      },
    });
    const started = Date.now();
    const [first, second] = await Promise.all([get(app, "/readyz"), get(app, "/readyz")]);
    const elapsed = Date.now() - started;
    expect(first.status).toBe(503);
    expect(second.status).toBe(503);
    const hung = (await first.json()) as ReadinessReport;
    expect(hung.failing).toEqual(["migrations"]);
    expect(hung.probes.find((p) => p.name === "migrations")!.detail).toMatch(/no answer within 2000 ms/);
    // Bounded by the 2 s probe timeout (generous margin for a loaded machine), not by the probe.
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(10_000);
    // The stuck check was asked to give up and not started again for the concurrent request.
    expect(calls).toBe(1);
    expect(aborted).toHaveLength(1);
    // /healthz does not depend on the probes.
    expect((await get(app, "/healthz")).status).toBe(200);
  }, 30_000);

  it("/readyz turns 503 (draining) as soon as stop begins, while /healthz stays 200 and the app still serves", async () => {
    app = await startTestApp({ env: { SHUTDOWN_DELAY_MS: "1500" } });
    expect((await get(app, "/readyz")).status).toBe(200);
    const stopping = app.running.stop();
    const draining = await get(app, "/readyz");
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ ready: false, status: "draining" });
    expect((await get(app, "/healthz")).status).toBe(200);
    // During the delay Slack requests are still taken (the load balancer has not caught up yet).
    const command = await postSigned(app.eventsUrl, slashCommandBody({ text: "rounds", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl() }), "application/x-www-form-urlencoded");
    expect(command.status).toBe(200);
    await stopping;
    await expect(get(app, "/healthz")).rejects.toThrow();
  }, 30_000);

  it("/metrics exposes the named metrics in Prometheus format, and a graded answer is counted once", async () => {
    app = await startTestApp();
    const before = await get(app, "/metrics");
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toContain("text/plain");
    const text = await before.text();
    const types = metricTypes(text);
    expect(types.get("coach_answers_graded_total")).toBe("counter");
    expect(types.get("coach_grader_fallbacks_total")).toBe("counter");
    expect(types.get("coach_judge_run_seconds")).toBe("histogram");
    expect(types.get("coach_job_queue_depth")).toBe("gauge");
    for (const name of ["coach_deliveries_sent_total", "coach_delivery_retries_total", "coach_delivery_rate_limited_total", "coach_job_failures_total"]) {
      expect(types.get(name)).toBe("counter");
    }
    // prom-client's default process metrics, in the app's own registry.
    expect(types.get("coach_process_cpu_seconds_total")).toBe("counter");
    expect(sampleSum(text, "coach_job_queue_depth", { queue: "judge" })).toBe(0);
    expect(sampleSum(text, "coach_answers_graded_total")).toBe(0);

    await answerOnce(app);
    const after = await (await get(app, "/metrics")).text();
    expect(sampleSum(after, "coach_answers_graded_total", { grader: "offline", round: "ml-system-design" })).toBe(1);
    expect(sampleSum(after, "coach_answers_graded_total")).toBe(1);
    expect(sampleSum(after, "coach_job_failures_total")).toBe(0);
  }, 30_000);

  it("counts an LLM failure as a fallback and the answer as graded offline", async () => {
    openai = await startFakeOpenAI();
    openai.enqueue({ kind: "error", status: 500, message: "upstream exploded" });
    app = await startTestApp({ env: { OPENAI_API_KEY: "sk-test-metrics-key-000000", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" } });
    await answerOnce(app);
    const text = await (await get(app, "/metrics")).text();
    expect(sampleSum(text, "coach_grader_fallbacks_total", { reason: "server-error" })).toBe(1);
    expect(sampleSum(text, "coach_answers_graded_total", { grader: "offline" })).toBe(1);
    expect(sampleSum(text, "coach_answers_graded_total", { grader: "llm" })).toBe(0);
  }, 30_000);

  it("times a code run in the sandbox by verdict and language", async () => {
    app = await startTestApp();
    if (!app.running.engine.judge.available) return; // no sandbox on this machine: nothing runs, nothing to time
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask two-sum-zero", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl() }), "application/x-www-form-urlencoded");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    const threadTs = String(app.slack.callsTo("chat.postMessage")[0]!.response!.ts);
    while (!(await app.running.engine.interview.thread({ channel: "D111", ts: threadTs }))) await new Promise((r) => setTimeout(r, 10));
    const wrong = "def zero_sum_pairs(nums):\n    return []";
    await postSigned(
      app.eventsUrl,
      eventBody({
        type: "message",
        channel: "D111",
        user: "U111",
        ts: "1800000000.000100",
        thread_ts: threadTs,
        text: "```python\n" + wrong + "```",
        blocks: [{ type: "rich_text", block_id: "b1", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: `python\n${wrong}` }] }] }],
      }),
      "application/json",
    );
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs), 60_000);
    const text = await (await get(app, "/metrics")).text();
    expect(sampleSum(text, "coach_judge_run_seconds_count", { verdict: "wrong_answer", language: "python" })).toBe(1);
    expect(sampleSum(text, "coach_judge_run_seconds_sum", { verdict: "wrong_answer", language: "python" })).toBeGreaterThan(0);
    expect(sampleSum(text, "coach_judge_run_seconds_count")).toBe(1);
    expect(sampleSum(text, "coach_job_queue_depth", { queue: "judge" })).toBe(0);
  }, 90_000);

  it("two apps in one process count separately (each owns its registry)", async () => {
    app = await startTestApp();
    const other = await startTestApp();
    try {
      await answerOnce(app);
      expect(sampleSum(await (await get(app, "/metrics")).text(), "coach_answers_graded_total")).toBe(1);
      expect(sampleSum(await (await get(other, "/metrics")).text(), "coach_answers_graded_total")).toBe(0);
    } finally {
      await other.close();
    }
  }, 30_000);
});
