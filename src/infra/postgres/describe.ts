/** The database a URL names, without its password, for messages and logs (no `pg` import: cheap at start). */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.host}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}
