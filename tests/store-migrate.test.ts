import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

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

  it('scrubs DingTalk session webhooks from queued messages and forgets staff groups learned from a title alone', () => {
    // A database as the release before the binding rules left it.
    const dir = mkdtempSync(join(tmpdir(), 'classbot-migrate-'));
    const old = join(dir, 'migrations');
    cpSync(MIGRATIONS, old, { recursive: true });
    const journal = JSON.parse(readFileSync(join(old, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0002_binding_rules'));
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify(journal));
    const path = join(dir, 'bot.db');
    const db = new Database(path);
    migrate(db, old);
    const hook = 'https://oapi.dingtalk.com/robot/sendBySession?session=0123456789abcdef';
    const payload = { text: '收到', replyContext: { replyTarget: 'group:cidA', sessionWebhook: hook, sessionWebhookExpiredTime: 1 } };
    db.prepare(`INSERT INTO outbox (key, platform, target_kind, target_id, payload, status, cause, urgent, attempts, not_before, created_at)
      VALUES ('in:dingtalk:m1:0', 'dingtalk', 'group', 'cidA', ?, 'pending', 'reply', 0, 0, 0, 0)`).run(JSON.stringify(payload));
    const group = db.prepare(`INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES ('dingtalk', ?, ?, 'g3', ?, 0)`);
    group.run('cidLookalike', '三年级老师群', 'staff');
    group.run('cidA', '三年级二班家长群', 'class');
    db.close();

    const store = openStore(path);
    expect(JSON.parse((store.sqlite.prepare(`SELECT payload FROM outbox`).get() as { payload: string }).payload)).toEqual({ text: '收到', replyContext: { replyTarget: 'group:cidA' } });
    expect(store.sqlite.prepare(`SELECT chat_id AS chatId, playbook_id AS pb, group_key AS k FROM groups ORDER BY id`).all()).toEqual([
      { chatId: 'cidLookalike', pb: null, k: null },
      { chatId: 'cidA', pb: 'g3', k: 'class' },
    ]);
    store.close();
  });
});
