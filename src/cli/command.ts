import type { Readable, Writable } from 'node:stream';

/** Streams a CLI command talks to; tests pass their own. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `classbot <name>` subcommand. `summary` and `usage` are shown to assistants (Chinese). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}
