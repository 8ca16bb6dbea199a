/** What Bolt knows about where a request comes from (its `context`, or an installation query). */
export interface WorkspaceIds {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** A request that names no workspace cannot be served from any workspace's data. */
export class UnknownWorkspaceError extends Error {
  constructor() {
    super("the request names neither a team nor an enterprise");
    this.name = "UnknownWorkspaceError";
  }
}

/**
 * The key every record of a workspace lives under (storage, installations, schedulers, clients): the
 * enterprise id (`E…`) for an org-wide install, whose workspaces share one installation and one history,
 * else the team id (`T…`). Slack's id prefixes keep the two apart.
 */
export function workspaceKey(ids: WorkspaceIds): string {
  const key = ids.isEnterpriseInstall && ids.enterpriseId ? ids.enterpriseId : ids.teamId;
  if (!key) throw new UnknownWorkspaceError();
  return key;
}
