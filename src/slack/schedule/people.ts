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
    const res = await this.client.users.info({ user: userId });
    const person = toPerson({ ...(res.user as SlackUserFields | undefined), id: userId }, this.now());
    this.cache.set(userId, person);
    return person;
  }
}

function toPerson(user: SlackUserFields, at: number): Person {
  return {
    tz: user.tz || undefined,
    isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
    fetchedAt: at,
  };
}
