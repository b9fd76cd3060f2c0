/**
 * Another process holding the database's write lock (BEGIN IMMEDIATE) for `ms` milliseconds, as a
 * long CLI command or a second bot would. Prints "locked" once it holds it, "released" after.
 * argv: dbPath ms
 */
import Database from 'better-sqlite3';

const [path, ms] = process.argv.slice(2) as [string, string];
const db = new Database(path);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('test.lock', 'held')`).run();
process.stdout.write('locked\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
}, Number(ms));
