/**
 * Entry point of `npm run practice`: flags are read before anything loads, so `--help` and a bad flag
 * answer at once (a bad flag: one line on stderr, exit 2, no banner).
 */
import { parsePracticeArgs, PRACTICE_USAGE } from "./args.js";

const args = parsePracticeArgs(process.argv.slice(2));
if (args.kind === "help") {
  process.stdout.write(`${PRACTICE_USAGE}\n`);
} else if (args.kind === "error") {
  process.stderr.write(`practice: ${args.message}. See: npm run practice -- --help\n`);
  process.exitCode = 2;
} else {
  const { configFromEnvironment } = await import("../app/env.js");
  const config = configFromEnvironment();
  // Loaded after the flags are known: --help and bad flags never pay for the engine's start-up.
  const run = args.loop
    ? import("./loop.js").then(({ runLoopConsole }) => runLoopConsole({ config, withHm: args.withHm }))
    : import("./practice.js").then(({ runPracticeConsole }) =>
        runPracticeConsole({
          config,
          round: args.round,
          onUsageError: (message) => {
            process.stderr.write(`practice: ${message}\n`);
            process.exitCode = 2;
          },
        }),
      );
  run.catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
