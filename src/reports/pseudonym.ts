/**
 * Stable pseudonyms for sharing reports outside the school: an HMAC of the member id under a
 * secret kept in this install's database, so the same parent has the same pseudonym every week,
 * and nobody without the database can map a pseudonym back to a person.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/db.js';

const SECRET_KEY = 'reports.pseudonym_secret';
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I: pseudonyms get read aloud

/** Reads this install's secret, creating it on first use. */
export function pseudonymSecret(store: Store): string {
  const db = store.sqlite;
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)`).run(SECRET_KEY, randomBytes(32).toString('hex'));
  return (db.prepare(`SELECT value FROM meta WHERE key = ?`).get(SECRET_KEY) as { value: string }).value;
}

const PREFIX = { member: '成员', staff: '老师' } as const;

/** '成员-7KQ2MX': six symbols of HMAC-SHA256(secret, kind and id); staff are pseudonymized by name. */
export function pseudonym(secret: string, kind: keyof typeof PREFIX, id: string | number): string {
  const mac = createHmac('sha256', secret).update(`${kind}:${id}`).digest();
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[mac[i]! % ALPHABET.length];
  return `${PREFIX[kind]}-${code}`;
}
