import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Logger } from '../log.js';

/**
 * An append-only file next to the database that holds inbound messages the database has not
 * taken yet: those of platforms that consider a message delivered before it is committed, and any
 * message whose commit failed (busy, disk full). Replayed in order at start and whenever the
 * database works again; the messages table's unique (platform, event id) drops what was already
 * stored. Emptied once everything in it is committed.
 *
 * Each entry is a line of JSON, written with a newline *before* it, so that a line torn by a crash
 * or a full disk never runs into the next one.
 */
export class InboundSpool {
  private fd: number | null = null;
  /** Something was written since the file was last emptied. */
  private dirty = false;

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** Everything written and not yet cleared, oldest first. A torn line is skipped (its message was never acknowledged). */
  read(): unknown[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: unknown[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        this.log.warn({ spool: this.path, line: line.slice(0, 200) }, 'torn line in the inbound spool skipped');
      }
    }
    this.dirty = text.length > 0;
    return out;
  }

  /** Opens the file for appending now, so that a directory the bot cannot write is said at start, not at the first outage. */
  open(): void {
    try {
      this.fd ??= openSync(this.path, 'a');
    } catch (e) {
      this.log.error({ spool: this.path, err: (e as Error).message }, 'INBOUND SPOOL NOT WRITABLE: messages the platform acknowledged before they were committed, and messages arriving while the database is busy or full, are kept in memory only. Fix the permissions of the database directory');
    }
  }

  /**
   * Appends `entries`; with `sync`, also waits for them to reach the disk (for a caller about to
   * tell the platform the message is delivered). False when the file cannot be written: logged
   * as an error, since those messages now live only in memory.
   */
  append(entries: readonly unknown[], sync: boolean): boolean {
    let text: string;
    try {
      text = entries.map((e) => `\n${JSON.stringify(e)}`).join('');
    } catch (e) {
      // Not the platform's shape (validation will say so): nothing worth keeping.
      this.log.warn({ err: (e as Error).message }, 'inbound message cannot be spooled: not JSON');
      return false;
    }
    try {
      this.fd ??= openSync(this.path, 'a');
      writeSync(this.fd, text);
      if (sync) fsyncSync(this.fd);
      this.dirty = true;
      return true;
    } catch (e) {
      this.log.error(
        { spool: this.path, err: (e as Error).message, messages: entries.length },
        'INBOUND SPOOL NOT WRITABLE: these messages are kept in memory only until the database works again; a restart now loses them. Free disk space or fix the permissions of the database directory',
      );
      return false;
    }
  }

  /** Everything in the spool is committed: empty it. */
  clear(): void {
    if (!this.dirty) return;
    try {
      if (this.fd === null) this.fd = openSync(this.path, 'a');
      ftruncateSync(this.fd, 0);
      this.dirty = false;
    } catch (e) {
      // Harmless: the entries replay as duplicates next time.
      this.log.warn({ spool: this.path, err: (e as Error).message }, 'could not empty the inbound spool');
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
