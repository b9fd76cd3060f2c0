/**
 * Applies the migrations drizzle-kit generates (data/migrations), with the bookkeeping of
 * drizzle's own migrator (the `__drizzle_migrations` table, one row per applied file, by hash and
 * journal time), so databases migrated either way stay interchangeable. Our own because loading
 * drizzle-orm cost every start of the bot about 0.2 s, and the bot uses nothing else of it.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Journal {
  entries: { tag: string; when: number }[];
}

const BREAKPOINT = '--> statement-breakpoint';

export function migrate(db: Database.Database, folder: string): void {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
  // One IMMEDIATE transaction from the first look on: two processes opening a fresh file at the
  // same instant take turns, and the second sees what the first applied.
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const last = db.prepare(`SELECT created_at AS at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`).get() as { at: number | string } | undefined;
    const record = db.prepare(`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)`);
    for (const entry of journal.entries) {
      if (last && Number(last.at) >= entry.when) continue;
      const sql = readFileSync(join(folder, `${entry.tag}.sql`), 'utf8');
      for (const statement of sql.split(BREAKPOINT)) if (statement.trim()) db.exec(statement);
      record.run(createHash('sha256').update(sql).digest('hex'), entry.when);
    }
  }).immediate();
}
