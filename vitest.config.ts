import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The sandbox suite and the end-to-end suites start real processes and servers;
    // two workers match the two-core CI machine without starving the judge.
    maxWorkers: 2,
  },
});
