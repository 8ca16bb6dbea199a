/**
 * GET /healthz, /readyz and /metrics as Bolt custom routes: in HTTP mode they are served on PORT beside
 * /slack/events; in Socket Mode Bolt's SocketModeReceiver serves them from an HTTP server of its own on
 * the same PORT (its `installerOptions.port`, which the App's `port` option sets in Socket Mode).
 */
import type { ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { AppMetrics } from "./metrics.js";
import type { Readiness } from "./readiness.js";

export const OPS_PATHS = { health: "/healthz", ready: "/readyz", metrics: "/metrics" } as const;

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, "application/json; charset=utf-8", JSON.stringify(body));

/** Bolt calls a route's handler without awaiting it: a failure must still answer, never hang or crash. */
function guarded(handler: (res: ServerResponse) => Promise<void>, onError: (error: unknown) => void): CustomRoute["handler"] {
  return (_req, res) => {
    handler(res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) json(res, 500, { status: "error" });
      else res.end();
    });
  };
}

export function opsRoutes(options: {
  readiness: Readiness;
  /** Awaited per scrape: the app starts listening before prom-client has loaded. */
  metrics: AppMetrics | Promise<AppMetrics>;
  onError: (error: unknown) => void;
}): CustomRoute[] {
  const { readiness, metrics, onError } = options;
  const methods = ["GET", "HEAD"];
  return [
    {
      // Liveness: the process is up and its event loop answers. Stays 200 while draining.
      path: OPS_PATHS.health,
      method: methods,
      handler: guarded(async (res) => json(res, 200, { status: "ok" }), onError),
    },
    {
      // Readiness: 503 naming the failing probes, or while draining after SIGTERM.
      path: OPS_PATHS.ready,
      method: methods,
      handler: guarded(async (res) => {
        const report = await readiness.check();
        json(res, report.ready ? 200 : 503, report);
      }, onError),
    },
    {
      path: OPS_PATHS.metrics,
      method: methods,
      handler: guarded(async (res) => {
        const { contentType, body } = await (await metrics).render();
        send(res, 200, contentType, body);
      }, onError),
    },
  ];
}
