import type { AppOptions, InstallationStore } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { DocumentInstallationStore } from "./installation-store.js";
import { BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH } from "./scopes.js";
import { workspaceKey } from "./workspace-key.js";

/**
 * Bolt's options for OAuth mode: the install page at /slack/install (an *Add to Slack* link carrying a
 * signed state, also set as a cookie), the redirect at /slack/oauth_redirect exchanging the code through
 * oauth.v2.access at SLACK_API_URL (Bolt hands the app's clientOptions to the installer), and the
 * installations stored encrypted. `onInstalled` runs once an installation is stored.
 */
export function oauthAppOptions(
  config: Config,
  installations: DocumentInstallationStore,
  onInstalled: (workspace: string) => Promise<void>,
): Pick<AppOptions, "clientId" | "clientSecret" | "stateSecret" | "scopes" | "installationStore" | "installerOptions"> {
  const oauth = config.slack.oauth!;
  const installationStore: InstallationStore = {
    async storeInstallation(installation) {
      await installations.storeInstallation(installation);
      await onInstalled(workspaceKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall }));
    },
    fetchInstallation: (query) => installations.fetchInstallation(query),
    deleteInstallation: (query) => installations.deleteInstallation(query),
  };
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // The page with the Add to Slack button, not a bare redirect: the state cookie is set on it.
      directInstall: false,
      // Socket Mode has no HTTP server of its own: Bolt starts one on PORT for these two routes only.
      ...(config.slack.appToken ? { port: config.slack.port } : {}),
    },
  };
}
