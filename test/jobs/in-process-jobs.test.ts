import { InProcessJobs } from "../../src/infra/embedded/in-process-jobs.js";
import { CONTRACT_CONCURRENCY, jobQueueContract } from "./job-queue-contract.js";

const silent = { error: () => undefined };
const settings = { concurrency: CONTRACT_CONCURRENCY, retryDelaysMs: [50, 50, 50] };

jobQueueContract("in-process", async () => ({
  queue: new InProcessJobs({ queues: { grade: settings, judge: settings, deliver: settings, loop: settings }, logger: silent }),
}));
