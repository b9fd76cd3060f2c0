import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { collect, formatError, isPlaybookFile, loadPlaybookDir, loadPlaybookFile, type LoadResult, type PlaybookError } from './load.js';
import type { Playbook } from './playbook.js';

export interface RegistryEvents {
  /** The set of good playbooks changed. */
  onChange(playbooks: Playbook[]): void;
  /** A file failed to load; `lastGood` is the version that keeps running, if any. */
  onError(file: string, errors: PlaybookError[], lastGood: Playbook | null): void;
  onReload?(playbook: Playbook): void;
}

/**
 * The playbooks in a directory, kept current while the bot runs. An edit that does not validate
 * is reported and the last good version of that file stays in force.
 */
export class PlaybookRegistry {
  private good = new Map<string, Playbook>();
  private watcher: FSWatcher | null = null;
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly events: RegistryEvents,
  ) {}

  /** Initial load; returns the errors so the caller can refuse to start on a broken set. */
  load(): PlaybookError[] {
    const { files, errors } = loadPlaybookDir(this.dir);
    for (const [path, result] of files) {
      if (!result.ok) continue;
      this.good.set(path, result.playbook);
      this.logWarnings(path, result.warnings);
    }
    this.publish();
    return errors;
  }

  playbooks(): Playbook[] {
    return collect(new Map([...this.good].map(([p, pb]) => [p, { ok: true, playbook: pb, warnings: [] } as LoadResult]))).playbooks;
  }

  /** Re-reads one file (what the watcher calls after an edit settles). */
  reload(path: string): void {
    const lastGood = this.good.get(path) ?? null;
    if (!existsSync(path)) {
      if (this.good.delete(path)) {
        this.log.info({ file: path }, 'playbook removed');
        this.publish();
      }
      return;
    }
    const result = loadPlaybookFile(path);
    if (!result.ok) {
      this.log.warn({ file: path, errors: result.errors.map(formatError) }, 'playbook edit rejected; last good version keeps running');
      this.events.onError(path, result.errors, lastGood);
      return;
    }
    const clash = [...this.good].find(([p, pb]) => p !== path && pb.id === result.playbook.id);
    if (clash) {
      const errors: PlaybookError[] = [{ file: result.playbook.file, line: 1, col: 1, path: 'id', message: `与 ${clash[1].file} 的 id "${result.playbook.id}" 重复` }];
      this.events.onError(path, errors, lastGood);
      return;
    }
    this.good.set(path, result.playbook);
    this.log.info({ file: path, playbook: result.playbook.id }, 'playbook reloaded');
    this.logWarnings(path, result.warnings);
    this.publish();
    this.events.onReload?.(result.playbook);
  }

  /** Watches the directory; edits are debounced since editors write files in several steps. */
  watch(debounceMs = 300): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, (_event, name) => {
        if (!name || !isPlaybookFile(name)) return;
        const path = join(this.dir, name);
        clearTimeout(this.timers.get(path));
        this.timers.set(path, setTimeout(() => {
          this.timers.delete(path);
          this.reload(path);
        }, debounceMs));
      });
      this.watcher.on('error', (e) => this.log.warn({ err: e.message }, 'playbook watcher error'));
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'cannot watch playbooks; edits need a restart');
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** For the assistants who read the log (`classbot check` prints the same); never sent to a group. */
  private logWarnings(path: string, warnings: PlaybookError[]): void {
    if (warnings.length > 0) this.log.warn({ file: path, warnings: warnings.map(formatError) }, 'playbook loaded with warnings (classbot check lists them; policy_ack silences a policy rule)');
  }

  private publish(): void {
    this.events.onChange(this.playbooks());
  }
}
