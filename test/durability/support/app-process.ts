import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { ROOT } from "../../support/run.js";
import { TEST_SIGNING_SECRET } from "../../support/signed.js";
import { TEST_BOT_TOKEN } from "../../support/app.js";

export interface AppProcess {
  child: ChildProcess;
  eventsUrl: string;
  output(): string;
  /** SIGKILL: no handler runs, nothing is flushed — a crash. */
  crash(): Promise<void>;
  /** Sends a signal and waits for the exit code. */
  signal(name: NodeJS.Signals): Promise<number | null>;
}

/** `npm start` as a real process (src/main.ts through tsx's loader, so SIGKILL hits the app itself). */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const { port, ...rest } = await spawnMain(env, /listening on http:\/\/localhost:(\d+)/);
  return { ...rest, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
}

/** `npm start` with ROLE=worker as a real process: no HTTP receiver, ready once it runs its queues. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Omit<AppProcess, "eventsUrl">> {
  const { port: _port, ...rest } = await spawnMain({ ROLE: "worker", ...env }, /worker is running \(queues: [^)]*\)()/);
  return rest;
}

async function spawnMain(env: Record<string, string>, ready: RegExp): Promise<Omit<AppProcess, "eventsUrl"> & { port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", resolve(ROOT, "src/main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`app did not start: ${out}`)), 60_000);
    const check = () => {
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`app exited during start-up: ${out}`));
    });
  });
  return {
    child,
    port,
    output: () => out,
    async crash() {
      child.kill("SIGKILL");
      await exited;
    },
    async signal(name) {
      child.kill(name);
      return exited;
    },
  };
}
