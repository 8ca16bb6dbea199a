import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { importCycles, importGraph } from "../support/import-graph.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "../../src");

describe("the import graph of src/", () => {
  let graph: Map<string, string[]>;
  beforeAll(() => {
    graph = importGraph(SRC);
  });

  it("has no cycle, type-only imports included", () => {
    expect(graph.size).toBeGreaterThan(100);
    const cycles = importCycles(graph).map((cycle) => cycle.join(" → "));
    expect(cycles, `import cycles in src/ (break each one):\n${cycles.join("\n")}`).toEqual([]);
  });

  it("keeps the interview engine free of chat adapters, the console and the app wiring", () => {
    const leaks = [...graph]
      .filter(([file]) => file.startsWith("engine/"))
      .flatMap(([file, targets]) => targets.filter((t) => /^(slack|console|cli|app)\//.test(t)).map((t) => `${file} → ${t}`));
    expect(leaks).toEqual([]);
  });
});

describe("the cycle check itself", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  function project(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), "cycles-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it("finds cycles through type-only imports, import types, re-exports, dynamic imports and self-imports", () => {
    const root = project({
      "a.ts": 'import type { B } from "./b.js";\nexport type A = B;\n',
      "b.ts": 'export { c } from "./sub/index.js";\nexport type B = string;\n',
      "sub/index.ts": 'export const c = () => import("../a.js");\n',
      "x.ts": 'export type X = import("./y.js").Y;\n',
      "y.ts": 'export * from "./x.js";\nexport type Y = number;\n',
      "self.ts": 'import "./self.js";\n',
      "leaf.ts": 'import "node:fs";\nimport "./a.js";\n',
    });
    const cycles = importCycles(importGraph(root));
    expect(cycles).toEqual(expect.arrayContaining([["a.ts", "b.ts", "sub/index.ts", "a.ts"], ["self.ts", "self.ts"], ["x.ts", "y.ts", "x.ts"]]));
    expect(cycles).toHaveLength(3);
  });

  it("reports nothing for a graph without cycles (diamonds included)", () => {
    const root = project({
      "top.ts": 'import "./left.js";\nimport "./right.js";\n',
      "left.ts": 'import "./bottom.js";\n',
      "right.ts": 'import "./bottom.js";\n',
      "bottom.ts": "export {};\n",
    });
    expect(importCycles(importGraph(root))).toEqual([]);
  });
});
