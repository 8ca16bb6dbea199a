import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "@slack/bolt";

/**
 * In Socket Mode, Bolt 5's SocketModeReceiver serves custom routes from an HTTP server it creates in its
 * constructor and starts in `start()` with `listen(installerOptions.port)` (default 3000; the App's
 * `port` option sets it). Bolt exposes neither the server nor listen errors (a busy port would be an
 * unhandled 'error' event, crashing the process), so this reads the receiver's `httpServer` field — not
 * part of Bolt's typed API; test/ops/socket-mode.test.ts pins it — to watch it start.
 */
export function socketModeHttpServer(app: App): Server | undefined {
  const receiver = (app as unknown as { receiver?: { httpServer?: unknown } }).receiver;
  const server = receiver?.httpServer;
  return server && typeof (server as Server).listen === "function" && typeof (server as Server).once === "function" ? (server as Server) : undefined;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    cause: unknown,
  ) {
    super(
      `Port ${port} is not available (${(cause as Error).message}). In Socket Mode the app serves /healthz, /readyz and /metrics on PORT: set PORT to a free port.`,
      { cause },
    );
    this.name = "PortInUseError";
  }
}

/** Resolves with the bound port once `server` listens; rejects with PortInUseError when it cannot. Call before `listen`. */
export function whenListening(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(new PortInUseError(port, error));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
  });
}
