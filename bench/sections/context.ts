import type { Platform, RateLimits } from '../../src/model.js';

/** What the bench's command line and parent process hand each section (it runs in its own process). */
export interface SectionContext {
  /** Small workloads, for trying the bench out; figures are not comparable with a full run. */
  quick: boolean;
  /** Overrides the section's workload size (messages, groups…). */
  n?: number;
  /** Ingest: messages an adapter delivers together. */
  burst?: number;
  /** Install the peer framework if it is missing. */
  peers: boolean;
  /** The real adapters' declared rate limits, read by the parent so this process never loads an SDK. */
  rateLimits: Partial<Record<Platform, RateLimits>>;
  /** A progress line for the terminal. */
  progress(line: string): void;
}
