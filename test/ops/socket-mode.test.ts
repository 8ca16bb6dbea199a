/**
 * Socket Mode: the real app connects to the fake Slack's WebSocket endpoint (apps.connections.open →
 * ws://…, "hello"), and Bolt's SocketModeReceiver serves /healthz, /readyz and /metrics from its own
 * HTTP server on PORT.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ReadinessReport } from "../../src/ops/readiness.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { metricTypes } from "../support/prometheus.js";

const SOCKET_ENV = { SLACK_APP_TOKEN: "xapp-1-A0FAKE-123-socketmodetesttoken", SLACK_SIGNING_SECRET: "" };

let app: TestApp | undefined;
let slack: FakeSlack | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await app?.close();
  await slack?.close();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  app = slack = blocker = undefined;
});

describe("operations endpoints in Socket Mode", () => {
  it("serves /healthz, /readyz and /metrics on PORT while connected over the WebSocket, and stops serving them on stop", async () => {
    slack = await startFakeSlack();
    app = await startTestApp({ slack, env: SOCKET_ENV });
    expect(app.running.port).toBeUndefined();
    expect(slack.socketConnections()).toBe(1);
    const port = app.running.opsPort;
    expect(port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as ReadinessReport).probes.map((p) => p.name)).toContain("judge");
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metricTypes(await metrics.text()).get("coach_answers_graded_total")).toBe("counter");
    // Only the custom routes are served there (Slack's events arrive over the WebSocket).
    expect((await fetch(`${base}/slack/events`, { method: "POST", body: "{}" })).status).toBe(404);

    app.running.readiness.register({ name: "database", check: async () => ({ ok: false, detail: "down" }) });
    const failing = await fetch(`${base}/readyz`);
    expect(failing.status).toBe(503);
    expect(((await failing.json()) as ReadinessReport).failing).toEqual(["database"]);

    await app.stopApp();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 30_000);

  it("a busy PORT stops start-up with a message naming PORT, instead of crashing the process", async () => {
    slack = await startFakeSlack();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const failure = await startTestApp({ slack, env: { ...SOCKET_ENV, PORT: String(busy) } }).then(
      (started) => started.close().then(() => undefined),
      (error: Error) => error,
    );
    expect(failure?.name).toBe("PortInUseError");
    expect(failure?.message).toContain(`Port ${busy}`);
    expect(failure?.message).toContain("PORT");
    // The WebSocket it had opened is closed again.
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.socketConnections()).toBe(0);
  }, 30_000);
});
