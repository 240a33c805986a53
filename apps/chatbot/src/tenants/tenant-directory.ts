import type { TenantMapping } from '../config';

/**
 * Maps a Slack workspace (team id) or a Teams tenant to one credit tenant, and says who is an admin.
 * Configuration is the source of truth (CHATBOT_TENANTS, CHATBOT_ADMINS).
 */
export class TenantDirectory {
  private readonly byKey = new Map<string, string>();
  private readonly admins: ReadonlySet<string>;

  constructor(mappings: readonly TenantMapping[], admins: readonly string[]) {
    // Teams tenant ids are GUIDs that arrive in either case; Slack team ids are upper-case already.
    for (const m of mappings) this.byKey.set(`${m.platform}:${m.externalId.toLowerCase()}`, m.tenantId);
    this.admins = new Set(admins.map((a) => a.toLowerCase()));
  }

  /** The credit tenant of a workspace, or undefined when it is not configured. */
  tenantFor(platform: 'slack' | 'teams', externalId: string | undefined): string | undefined {
    if (!externalId) return undefined;
    return this.byKey.get(`${platform}:${externalId.toLowerCase()}`);
  }

  /** Every credit tenant some workspace maps to (the tenants whose alerts this bot delivers). */
  tenantIds(): string[] {
    return [...new Set(this.byKey.values())].sort();
  }

  isAdmin(...userIds: Array<string | undefined>): boolean {
    return userIds.some((id) => id !== undefined && id !== '' && this.admins.has(id.toLowerCase()));
  }
}
