import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { z } from "zod";
import type { DocumentStore } from "../../engine/storage/documents.js";
import { safeSegment } from "../../engine/store/safe-path.js";
import { sealedSchema, type TokenCipher } from "../../infra/secrets/token-cipher.js";
import { workspaceKey } from "./workspace-key.js";

const DIR = "installations/";

/**
 * One workspace's installation. What Slack granted (tokens, refresh tokens, the webhook URL) is sealed
 * whole in `secret`; the rest is plain so an operator can see who is installed without the key.
 */
export const installationDocSchema = z.object({
  version: z.literal(1),
  workspace: z.string().min(1),
  teamId: z.string().optional(),
  teamName: z.string().optional(),
  enterpriseId: z.string().optional(),
  enterpriseName: z.string().optional(),
  isEnterpriseInstall: z.boolean(),
  appId: z.string().optional(),
  botUserId: z.string().optional(),
  botId: z.string().optional(),
  botScopes: z.array(z.string()).optional(),
  installerUserId: z.string().optional(),
  hasUserToken: z.boolean(),
  installedAt: z.string(),
  /** Bolt's Installation as JSON, encrypted with TOKEN_ENCRYPTION_KEY for this workspace. */
  secret: sealedSchema,
});
export type InstallationDoc = z.infer<typeof installationDocSchema>;

export function installationSchemaFor(path: string) {
  return path.startsWith(DIR) ? installationDocSchema : undefined;
}

/** No installation for the workspace: never installed, uninstalled, or its bot token revoked. */
export class NotInstalledError extends Error {
  constructor(readonly workspace: string) {
    super(`the app is not installed in workspace ${workspace}`);
    this.name = "NotInstalledError";
  }
}

/**
 * Bolt's InstallationStore over the storage port: installations live where everything else does
 * (PostgreSQL, or DATA_DIR), one document per workspace key (see workspaceKey), tokens encrypted.
 */
export class DocumentInstallationStore implements InstallationStore {
  constructor(
    private readonly documents: DocumentStore,
    private readonly cipher: TokenCipher,
  ) {}

  private path(workspace: string): string {
    return `${DIR}${safeSegment(workspace)}.json`;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const workspace = workspaceKey({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    const doc: InstallationDoc = {
      version: 1,
      workspace,
      teamId: installation.team?.id,
      teamName: installation.team?.name,
      enterpriseId: installation.enterprise?.id,
      enterpriseName: installation.enterprise?.name,
      isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
      appId: installation.appId,
      botUserId: installation.bot?.userId,
      botId: installation.bot?.id,
      botScopes: installation.bot?.scopes,
      installerUserId: installation.user?.id,
      hasUserToken: Boolean(installation.user?.token),
      installedAt: new Date().toISOString(),
      secret: this.cipher.seal(JSON.stringify(installation), workspace),
    };
    await this.documents.update(this.path(workspace), installationDocSchema, () => doc, (draft) => {
      Object.assign(draft, doc);
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    return this.installation(workspaceKey(query));
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.remove(workspaceKey(query));
  }

  /** The decrypted installation of `workspace`; NotInstalledError when there is none. */
  async installation(workspace: string): Promise<Installation> {
    const doc = await this.documents.peek(this.path(workspace), installationDocSchema);
    if (!doc) throw new NotInstalledError(workspace);
    return JSON.parse(this.cipher.open(doc.secret, workspace)) as Installation;
  }

  /** The workspace's bot token (for a worker that has only the database and the key). */
  async botToken(workspace: string): Promise<string> {
    const token = (await this.installation(workspace)).bot?.token;
    if (!token) throw new NotInstalledError(workspace);
    return token;
  }

  /** Drops the workspace's installation; false when there was none. */
  remove(workspace: string): Promise<boolean> {
    return this.documents.remove(this.path(workspace));
  }

  /** Forgets the user tokens of `userIds` (Slack revoked them); the bot's installation stays. */
  async revokeUserTokens(workspace: string, userIds: readonly string[]): Promise<void> {
    const doc = await this.documents.peek(this.path(workspace), installationDocSchema);
    if (!doc?.hasUserToken) return;
    const installation = JSON.parse(this.cipher.open(doc.secret, workspace)) as Installation;
    if (!userIds.includes(installation.user.id)) return;
    const { token: _token, refreshToken: _refresh, expiresAt: _expires, ...user } = installation.user;
    const kept = { ...installation, user: { ...user, token: undefined } } as Installation;
    await this.documents.update(this.path(workspace), installationDocSchema, () => doc, (draft) => {
      draft.hasUserToken = false;
      draft.secret = this.cipher.seal(JSON.stringify(kept), workspace);
    });
  }

  /** Every installed workspace's key. */
  async workspaces(): Promise<string[]> {
    const keys: string[] = [];
    for (const path of await this.documents.list(DIR)) {
      const doc = await this.documents.peek(path, installationDocSchema);
      if (doc) keys.push(doc.workspace);
    }
    return keys.sort();
  }
}
