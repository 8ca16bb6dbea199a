import { describe, expect, it } from "vitest";
import { DuplicateProbeError, Readiness } from "../../src/ops/readiness.js";
import { secretScrubber } from "../../src/ops/logging.js";

describe("readiness probes", () => {
  it("a probe that throws fails with its message; an optional one is reported without making the process unready", async () => {
    const readiness = new Readiness();
    readiness.register({ name: "cache", required: false, check: async () => ({ ok: false, detail: "cold" }) });
    expect(await readiness.check()).toMatchObject({ ready: true, failing: [], probes: [{ name: "cache", ok: false, required: false, detail: "cold" }] });
    readiness.register({ name: "database", check: async () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:5432")) });
    expect(await readiness.check()).toMatchObject({ ready: false, status: "not ready", failing: ["database"] });
    expect((await readiness.check()).probes.find((p) => p.name === "database")?.detail).toBe("ECONNREFUSED 127.0.0.1:5432");
  });

  it("a probe's detail is scrubbed of secrets before it is served", async () => {
    const readiness = new Readiness({ redact: secretScrubber([]) });
    readiness.register({ name: "database", check: async () => ({ ok: false, detail: "cannot reach postgres://coach:s3cretpass@db:5432/coach" }) });
    const [probe] = (await readiness.check()).probes;
    expect(probe!.detail).not.toContain("s3cretpass");
    expect(probe!.detail).toContain("db:5432");
  });

  it("names are unique; unregistering frees the name; draining wins over passing probes", async () => {
    const readiness = new Readiness();
    const remove = readiness.register({ name: "judge", check: async () => ({ ok: true }) });
    expect(() => readiness.register({ name: "judge", check: async () => ({ ok: true }) })).toThrow(DuplicateProbeError);
    remove();
    readiness.register({ name: "judge", check: async () => ({ ok: true }) });
    expect((await readiness.check()).ready).toBe(true);
    readiness.beginDrain();
    expect(await readiness.check()).toMatchObject({ ready: false, status: "draining", failing: [] });
  });

  it("a probe that hung is tried afresh once it finally answers", async () => {
    const readiness = new Readiness({ timeoutMs: 50 });
    let release: (() => void) | undefined;
    let calls = 0;
    readiness.register({
      name: "slow",
      check: () => {
        calls += 1;
        return calls === 1 ? new Promise((resolve) => (release = () => resolve({ ok: true }))) : Promise.resolve({ ok: true });
      },
    });
    expect((await readiness.check()).ready).toBe(false);
    expect((await readiness.check()).ready).toBe(false);
    expect(calls).toBe(1);
    release!();
    await new Promise((r) => setTimeout(r, 10));
    expect((await readiness.check()).ready).toBe(true);
    expect(calls).toBe(2);
  });
});
