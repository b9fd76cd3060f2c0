import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Store } from './db.js';
import * as schema from './schema.js';

export type TypedDb = BetterSQLite3Database<typeof schema>;

const handles = new WeakMap<Store, TypedDb>();

/**
 * Drizzle's typed query builder over a store's connection, for the places where clarity beats
 * the last microsecond (CLI commands, exports). The per-message path uses prepared statements,
 * and the bot does not load drizzle-orm at start.
 */
export function typed(store: Store): TypedDb {
  let db = handles.get(store);
  if (!db) {
    db = drizzle(store.sqlite, { schema });
    handles.set(store, db);
  }
  return db;
}
