// Entry of the judge worker (worker-pool.ts). Plain JavaScript so that Node can start it
// whatever runs the app: under tsx (or vitest) the TypeScript module needs tsx's loader in this thread.
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) (await import("tsx/esm/api")).register();
await import(workerData.entry);
