#!/usr/bin/env node
// The `interview-coach` command: runs the compiled CLI (dist/, built by `npm install` / `npm run build`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("interview-coach: the compiled CLI is missing (dist/). Run `npm run build` in the project, then try again.\n");
  process.exit(2);
}
await import(entry.href);
