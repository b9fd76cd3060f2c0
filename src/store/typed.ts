import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Store } from './db.js';
import * as schema from './schema.js';
import { oncePer } from '../memo.js';

export type TypedDb = BetterSQLite3Database<typeof schema>;

/**
 * Drizzle's typed query builder over a store's connection, for the places where clarity beats
 * the last microsecond (CLI commands, exports). The per-message path uses prepared statements,
 * and the bot does not load drizzle-orm at start.
 */
export const typed = oncePer((store: Store): TypedDb => drizzle(store.sqlite, { schema }));
