import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Installation } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { TokenCipher, TokenDecryptError } from "../../src/infra/secrets/token-cipher.js";
import { DocumentInstallationStore, NotInstalledError } from "../../src/slack/oauth/installation-store.js";

const BOT_TOKEN = "xoxb-1234-5678-org-bot-token-abcdef";
const USER_TOKEN = "xoxp-1234-5678-user-token-fedcba";
const WEBHOOK = "https://hooks.slack.test/services/T1/B1/secretpath";

function orgInstall(): Installation<"v2", true> {
  return {
    team: undefined,
    enterprise: { id: "EORG1", name: "Org" },
    isEnterpriseInstall: true,
    user: { id: "UADMIN", token: USER_TOKEN, scopes: ["chat:write"] },
    bot: { id: "BORG", userId: "UBOTORG", token: BOT_TOKEN, scopes: ["commands", "chat:write"] },
    incomingWebhook: { url: WEBHOOK, channel: "#general", channelId: "C1", configurationUrl: "https://x.test" },
    appId: "A1",
    authVersion: "v2",
  };
}

let dir: string;
let store: DocumentInstallationStore;
const key = randomBytes(32);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "coach-installs-"));
  store = new DocumentInstallationStore(new JsonDocs(dir), new TokenCipher(key));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("installation store (Bolt's InstallationStore over the document store)", () => {
  it("keys an org-wide install by its enterprise id: any of its workspaces finds it", async () => {
    await store.storeInstallation(orgInstall());
    expect(await store.workspaces()).toEqual(["EORG1"]);
    const found = await store.fetchInstallation({ enterpriseId: "EORG1", teamId: undefined, isEnterpriseInstall: true });
    expect(found.bot?.token).toBe(BOT_TOKEN);
    expect(found.incomingWebhook?.url).toBe(WEBHOOK);
    // A workspace-level query for a team of that org is another workspace: not installed.
    await expect(store.fetchInstallation({ teamId: "T9", enterpriseId: "EORG1", isEnterpriseInstall: false })).rejects.toBeInstanceOf(NotInstalledError);
  });

  it("stores no token, refresh token or webhook URL in the clear", async () => {
    await store.storeInstallation(orgInstall());
    const raw = readFileSync(join(dir, "installations", "EORG1.json"), "utf8");
    for (const secret of [BOT_TOKEN, USER_TOKEN, WEBHOOK]) {
      for (let i = 0; i + 8 <= secret.length; i++) expect(raw).not.toContain(secret.slice(i, i + 8));
    }
    expect(JSON.parse(raw)).toMatchObject({ workspace: "EORG1", enterpriseId: "EORG1", isEnterpriseInstall: true, botUserId: "UBOTORG", hasUserToken: true });
  });

  it("each record has its own IV; an altered record, one moved to another workspace, or another key does not open", async () => {
    await store.storeInstallation(orgInstall());
    await store.storeInstallation({ ...orgInstall(), enterprise: { id: "EORG2", name: "Two" } });
    const one = JSON.parse(readFileSync(join(dir, "installations", "EORG1.json"), "utf8"));
    const two = JSON.parse(readFileSync(join(dir, "installations", "EORG2.json"), "utf8"));
    expect(one.secret.iv).not.toBe(two.secret.iv);

    // Moved: EORG2's sealed installation pasted into EORG1's record.
    writeFileSync(join(dir, "installations", "EORG1.json"), JSON.stringify({ ...one, secret: two.secret }));
    const fresh = () => new DocumentInstallationStore(new JsonDocs(dir), new TokenCipher(key));
    await expect(fresh().botToken("EORG1")).rejects.toBeInstanceOf(TokenDecryptError);
    // Altered ciphertext.
    const flipped = Buffer.from(one.secret.data, "base64");
    flipped[0]! ^= 1;
    writeFileSync(join(dir, "installations", "EORG1.json"), JSON.stringify({ ...one, secret: { ...one.secret, data: flipped.toString("base64") } }));
    await expect(fresh().botToken("EORG1")).rejects.toThrow(/does not verify/);
    // Another key: said as such, naming key ids only.
    const other = new DocumentInstallationStore(new JsonDocs(dir), new TokenCipher(randomBytes(32)));
    await expect(other.botToken("EORG2")).rejects.toThrow(/sealed with key k1-[0-9a-f]{16}, which is not TOKEN_ENCRYPTION_KEY/);
    // A previous key still opens records sealed before a rotation.
    const rotated = new DocumentInstallationStore(new JsonDocs(dir), new TokenCipher(randomBytes(32), [key]));
    expect(await rotated.botToken("EORG2")).toBe(BOT_TOKEN);
  });

  it("deleting removes the record; revoking user tokens keeps the bot's installation", async () => {
    await store.storeInstallation(orgInstall());
    await store.revokeUserTokens("EORG1", ["UADMIN"]);
    const kept = await store.installation("EORG1");
    expect(kept.user.token).toBeUndefined();
    expect(kept.bot?.token).toBe(BOT_TOKEN);
    await store.deleteInstallation({ enterpriseId: "EORG1", teamId: undefined, isEnterpriseInstall: true });
    await expect(store.botToken("EORG1")).rejects.toBeInstanceOf(NotInstalledError);
    expect(await store.workspaces()).toEqual([]);
  });
});
