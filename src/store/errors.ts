/**
 * What a failing SQLite call means for the caller. A busy or locked database, a full disk or an
 * I/O error is the store being unavailable for now: the work is kept and tried again next tick,
 * never recorded as failed or dropped.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|PROTOCOL)(_|$)/;

export function isStoreUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.test(code);
}

/** The database cannot be used at all (corrupted, not a database, not writable): classbot refuses to start. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

/** Why `path` cannot be used, in Chinese and English, with what to do; null when `e` is no such problem. */
export function openProblem(path: string, e: unknown): string | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  const detail = (e as Error).message;
  if (code === 'SQLITE_NOTADB') {
    return `${path} 不是 SQLite 数据库文件（${detail}）。请检查 --db 或 CLASSBOT_DB 是否指向了机器人的数据库；不要把别的文件放在这个位置。\n` +
      `${path} is not an SQLite database (${detail}). Check that --db or CLASSBOT_DB points to the bot's database file.`;
  }
  if (code.startsWith('SQLITE_CORRUPT')) return corrupted(path, detail);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return `无法写入数据库 ${path}（${detail}）。请检查该文件和所在目录的权限：运行 classbot 的用户需要读写两者（数据库旁还有 -wal、-shm 文件）。\n` +
      `Cannot write the database ${path} (${detail}). Check the permissions of the file and its directory: the user running classbot needs to read and write both (the -wal and -shm files live next to it).`;
  }
  return null;
}

export function corrupted(path: string, detail: string): string {
  return `数据库 ${path} 已损坏（${detail}）。classbot 没有启动，以免继续写入损坏的文件。请停止所有 classbot 进程，用备份替换该文件，或用 sqlite3 "${path}" ".recover" 导出还能读出的数据。\n` +
    `The database ${path} is corrupted (${detail}). classbot did not start, so as not to write to it. Stop every classbot process, then restore the file from a backup, or salvage what can be read with sqlite3 "${path}" ".recover".`;
}
