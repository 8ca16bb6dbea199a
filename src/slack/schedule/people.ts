import type { WebClient } from "@slack/web-api";

interface Person {
  tz?: string;
  isAdmin: boolean;
  fetchedAt: number;
}

/** What users.info / user_change tell us about a person that scheduling needs. */
export interface SlackUserFields {
  id: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

/**
 * Timezones and admin flags from users.info, cached so a fan-out of thousands of due slots does not
 * turn into thousands of users.info calls (Tier 4). Entries refresh after `ttlMs`, and at once when
 * Slack reports a profile change (`user_change`), which is how a new timezone is picked up.
 */
export class SlackPeople {
  private readonly cache = new Map<string, Person>();

  constructor(
    private readonly client: WebClient,
    private readonly ttlMs = 6 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async timeZoneOf(userId: string): Promise<string | undefined> {
    return (await this.lookup(userId)).tz;
  }

  async isWorkspaceAdmin(userId: string): Promise<boolean> {
    return (await this.lookup(userId)).isAdmin;
  }

  /** Records fresh fields from an event payload (user_change carries the whole profile). */
  remember(user: SlackUserFields): void {
    this.cache.set(user.id, toPerson(user, this.now()));
  }

  private async lookup(userId: string): Promise<Person> {
    const cached = this.cache.get(userId);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached;
    const res = await withTransientRetries(() => this.client.users.info({ user: userId }));
    const person = toPerson({ ...(res.user as SlackUserFields | undefined), id: userId }, this.now());
    this.cache.set(userId, person);
    return person;
  }
}

/** Slack platform errors that say "try again", as opposed to a real answer (user_not_found…). */
const TRANSIENT_CODES = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"]);

function isTransient(error: unknown): boolean {
  const e = error as { code?: string; data?: { error?: string } };
  if (e.code === "slack_webapi_request_error" || e.code === "slack_webapi_rate_limited_error") return true;
  if (e.code === "slack_webapi_http_error") return true;
  return e.code === "slack_webapi_platform_error" && TRANSIENT_CODES.has(String(e.data?.error));
}

/**
 * users.info decides whether someone is an admin: a blip at Slack must not turn a real admin into
 * "not allowed", so transient failures are retried a few times (honouring Retry-After, capped).
 */
export async function withTransientRetries<T>(call: () => Promise<T>, attempts = 3, baseDelayMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      const delay = Math.min(retryAfter !== undefined ? retryAfter * 1000 : baseDelayMs * 2 ** (attempt - 1), 5_000);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function toPerson(user: SlackUserFields, at: number): Person {
  return {
    tz: user.tz || undefined,
    isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
    fetchedAt: at,
  };
}
