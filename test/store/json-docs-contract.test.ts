import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { documentStoreContract } from "./document-store-contract.js";

documentStoreContract("JsonDocs (embedded, lowdb files under DATA_DIR)", async () => {
  const parent = mkdtempSync(join(tmpdir(), "docs-"));
  // DATA_DIR one level down, so a path escaping it would land in `parent` where the test can see it.
  const dir = join(parent, "data");
  const store = new JsonDocs(dir);
  return {
    store,
    refusesStaleWrites: false,
    async corrupt(path, data) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(data));
    },
    async cleanup() {
      await store.close();
      rmSync(parent, { recursive: true, force: true });
    },
  };
});
