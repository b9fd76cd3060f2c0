import { clearLine, cursorTo, type Interface } from 'node:readline';
import type { Writable } from 'node:stream';

/**
 * Where the console's lines go. In a terminal, a line printed while the prompt waits for input
 * (a reminder firing, a reply sent late) goes above the prompt, which is redrawn with what was
 * typed so far, so typing is never garbled.
 */
export class ConsoleScreen {
  private input: Interface | null = null;
  private waiting = false;

  constructor(readonly output: Writable) {}

  line(text: string): void {
    if (!this.input || !this.waiting) {
      this.output.write(`${text}\n`);
      return;
    }
    clearLine(this.output, 0);
    cursorTo(this.output, 0);
    this.output.write(`${text}\n`);
    this.input.prompt(true);
  }

  /** Shows `text` as the prompt of `rl` and waits for input. */
  prompt(rl: Interface, text: string): void {
    this.input = rl;
    rl.setPrompt(text);
    rl.prompt();
    this.waiting = true;
  }

  /** A line was entered: what it causes is printed below it. */
  busy(): void {
    this.waiting = false;
  }
}
