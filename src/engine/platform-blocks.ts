import type { Statement } from 'better-sqlite3';
import type { Platform } from '../model.js';
import type { Store } from '../store/db.js';

/** How often a blocked platform is tried again when it did not say when it lifts. */
export const PROBE_EVERY_MS = 15 * 60_000;

export interface PlatformBlock {
  platform: Platform;
  reason: string;
  detail: string | null;
  since: number;
  until: number | null;
  probeAt: number;
}

/**
 * Platforms that refuse every send for a while (DingTalk's monthly call quota). Their messages
 * wait in the outbox; one probe send at a time finds out when the platform takes them again.
 */
export class PlatformBlocks {
  private readonly selectAll: Statement;
  private readonly insert: Statement;
  private readonly extend: Statement;
  private readonly takeProbe: Statement;
  private readonly remove: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    this.selectAll = db.prepare(`SELECT platform, reason, detail, since, until, probe_at AS probeAt FROM platform_blocks ORDER BY since`);
    this.insert = db.prepare(`INSERT INTO platform_blocks (platform, reason, detail, since, until, probe_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform) DO NOTHING`);
    this.extend = db.prepare(`UPDATE platform_blocks SET reason = ?, detail = ?, until = ?, probe_at = ? WHERE platform = ?`);
    // A conditional update: of several bots sharing the database, one probes.
    this.takeProbe = db.prepare(`UPDATE platform_blocks SET probe_at = ? WHERE platform = ? AND probe_at <= ?`);
    this.remove = db.prepare(`DELETE FROM platform_blocks WHERE platform = ?`);
  }

  all(): PlatformBlock[] {
    return this.selectAll.all() as PlatformBlock[];
  }

  /** Records (or extends) a block; true when the platform was not blocked before. */
  block(platform: Platform, reason: string, detail: string, until: number | undefined, now: number): boolean {
    const probeAt = until !== undefined && until > now ? until : now + PROBE_EVERY_MS;
    if (this.insert.run(platform, reason, detail, now, until ?? null, probeAt).changes > 0) return true;
    this.extend.run(reason, detail, until ?? null, probeAt, platform);
    return false;
  }

  /** Claims the next probe of a blocked platform whose probe is due; false when not due or taken. */
  claimProbe(platform: Platform, now: number): boolean {
    return this.takeProbe.run(now + PROBE_EVERY_MS, platform, now).changes > 0;
  }

  /** True when the platform was blocked. */
  lift(platform: Platform): boolean {
    return this.remove.run(platform).changes > 0;
  }
}
