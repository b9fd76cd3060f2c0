import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';

const MIGRATIONS = fileURLToPath(new URL('../data/migrations', import.meta.url));
const MIGRATION_COUNT = (JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
const applied = (db: Database.Database) => db.prepare('SELECT hash, created_at AS at FROM __drizzle_migrations ORDER BY id').all();
const tables = (db: Database.Database) => db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE '__drizzle%' ORDER BY name`).all();

describe('migrations', () => {
  it('creates the schema with the same bookkeeping as drizzle’s migrator, so either can open the file later', () => {
    const ours = openStore(':memory:').sqlite;
    const theirs = new Database(':memory:');
    drizzleMigrate(drizzle(theirs), { migrationsFolder: MIGRATIONS });
    expect(applied(ours)).toEqual(applied(theirs));
    expect(tables(ours)).toEqual(tables(theirs));
    expect(tables(ours)).toContainEqual({ name: 'messages' });
  });

  it('applies nothing twice, whoever migrated the file first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-migrate-'));
    const byDrizzle = new Database(join(dir, 'a.db'));
    drizzleMigrate(drizzle(byDrizzle), { migrationsFolder: MIGRATIONS });
    byDrizzle.close();
    const reopened = openStore(join(dir, 'a.db'));
    expect(applied(reopened.sqlite)).toHaveLength(MIGRATION_COUNT);
    reopened.close();
    openStore(join(dir, 'b.db')).close();
    const again = openStore(join(dir, 'b.db'));
    expect(applied(again.sqlite)).toHaveLength(MIGRATION_COUNT);
    again.close();
  });
});
