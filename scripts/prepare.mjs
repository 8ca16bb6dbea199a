// `npm install` / `npm ci` compile the app into dist/ (what `npm start`, `npm run practice` and the
// `interview-coach` bin run). An install without dev dependencies (`--omit=dev`) has no compiler: it
// keeps the dist/ it was given instead of failing.
import { execSync } from "node:child_process";
import { createRequire } from "node:module";

try {
  createRequire(import.meta.url).resolve("typescript");
} catch {
  console.log("prepare: TypeScript is not installed (dev dependencies omitted), so dist/ is not rebuilt.");
  process.exit(0);
}
execSync("npm run build", { stdio: "inherit" });
