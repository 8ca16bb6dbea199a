/**
 * Readiness: whether this process should be sent work now (GET /readyz). Anything the app depends on
 * registers a probe; the process is ready when every required probe passes and it is not draining.
 *
 *   readiness.register({ name: "database", check: async (signal) => ({ ok: await ping(signal) }) });
 *
 * Probes run concurrently, each bounded by a timeout (a hanging dependency reads as failing, it never
 * hangs the endpoint), and a probe still running from an earlier request is awaited rather than
 * started again, so a stuck dependency does not pile up checks.
 */

export interface ProbeResult {
  ok: boolean;
  /** Shown in the /readyz body: what was checked, or why it failed. Never a secret. */
  detail?: string;
}

export interface ReadinessProbe {
  /** Names the probe in the /readyz body (e.g. "database", "migrations", "judge"). Unique. */
  name: string;
  /**
   * Resolves with the dependency's state; a throw counts as failing with the error's message. `signal`
   * aborts when the probe timed out, so the check can give up its connection.
   */
  check(signal: AbortSignal): Promise<ProbeResult>;
  /** False for a probe reported in the body that does not make the process unready. Default true. */
  required?: boolean;
}

export interface ProbeReport extends ProbeResult {
  name: string;
  required: boolean;
  ms: number;
}

export interface ReadinessReport {
  ready: boolean;
  status: "ready" | "not ready" | "draining";
  /** Names of the required probes that failed. */
  failing: string[];
  probes: ProbeReport[];
}

export class DuplicateProbeError extends Error {
  constructor(readonly probe: string) {
    super(`a readiness probe named "${probe}" is already registered`);
    this.name = "DuplicateProbeError";
  }
}

export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

export class Readiness {
  private readonly probes = new Map<string, ReadinessProbe>();
  private readonly inFlight = new Map<string, { promise: Promise<ProbeResult>; controller: AbortController }>();
  private drainingSince: Date | undefined;
  private readonly timeoutMs: number;
  private readonly redact: (text: string) => string;

  /** `redact` scrubs every detail before it is reported (the body is served to anyone who can reach the port). */
  constructor(options: { timeoutMs?: number; redact?: (text: string) => string } = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.redact = options.redact ?? ((text) => text);
  }

  /** Adds a probe; returns a function that removes it. Throws DuplicateProbeError for a name already taken. */
  register(probe: ReadinessProbe): () => void {
    if (this.probes.has(probe.name)) throw new DuplicateProbeError(probe.name);
    this.probes.set(probe.name, probe);
    return () => {
      if (this.probes.get(probe.name) === probe) this.probes.delete(probe.name);
    };
  }

  /** From now on the process reports "draining" (503): a load balancer stops sending it work. */
  beginDrain(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async check(): Promise<ReadinessReport> {
    const probes = await Promise.all([...this.probes.values()].map((probe) => this.run(probe)));
    const failing = probes.filter((p) => p.required && !p.ok).map((p) => p.name);
    const status = this.draining ? "draining" : failing.length > 0 ? "not ready" : "ready";
    return { ready: status === "ready", status, failing, probes };
  }

  private async run(probe: ReadinessProbe): Promise<ProbeReport> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const running = this.inFlight.get(probe.name) ?? this.start(probe);
    const timeout = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(() => {
        running.controller.abort(new Error(`no answer within ${this.timeoutMs} ms`));
        resolve({ ok: false, detail: `no answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      timer.unref();
    });
    const result = await Promise.race([running.promise, timeout]);
    clearTimeout(timer);
    return { name: probe.name, required: probe.required ?? true, ok: result.ok === true, detail: result.detail === undefined ? undefined : this.redact(String(result.detail)), ms: Math.round(performance.now() - started) };
  }

  private start(probe: ReadinessProbe): { promise: Promise<ProbeResult>; controller: AbortController } {
    const controller = new AbortController();
    const promise = Promise.resolve()
      .then(() => probe.check(controller.signal))
      .catch((error: unknown): ProbeResult => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        if (this.inFlight.get(probe.name)?.promise === promise) this.inFlight.delete(probe.name);
      });
    const entry = { promise, controller };
    this.inFlight.set(probe.name, entry);
    return entry;
  }
}
