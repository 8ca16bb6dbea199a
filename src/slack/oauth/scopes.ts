/** The bot scopes the app asks for when installed (manifest.json's oauth_config.scopes.bot; a test keeps them equal). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "im:write",
  "im:history",
  "channels:history",
  "groups:history",
  "mpim:history",
  "reactions:write",
  "users:read",
] as const;

/** Where the OAuth flow is served (HTTP mode: on PORT beside /slack/events; Socket Mode: Bolt's own server on PORT). */
export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";
