import { describe, expect, it } from 'vitest';
import { createDetector, type DetectorContext } from '../src/detector/index.js';

const lexicon = createDetector({ secondOpinion: false });
const now = Date.UTC(2025, 2, 3, 12, 0, 0);
const minutes = (n: number) => n * 60_000;

/** A context given as a function, counting how often the detector reads it. */
function lazy(context: DetectorContext): { read: () => DetectorContext; calls: () => number } {
  let calls = 0;
  return {
    read: () => {
      calls++;
      return context;
    },
    calls: () => calls,
  };
}

describe('worry detector: the conversation context is read only when it can change the verdict', () => {
  it('a plain remark that is neither worried nor a request does not read it', () => {
    const ctx = lazy({ now, recent: [{ text: '今天天气真好啊大家', timestamp: now - minutes(5) }], unansweredSinceMs: now - minutes(90) });
    expect(lexicon.detect('今天天气真好啊大家', ctx.read).label).toBe('none');
    expect(ctx.calls()).toBe(0);
  });

  it('a request repeated reads it once and becomes a complaint, as with a context object', () => {
    const context = { now, recent: [{ text: '请问作业答案什么时候发？', timestamp: now - minutes(20) }] };
    const ctx = lazy(context);
    const verdict = lexicon.detect('请问作业答案什么时候发', ctx.read);
    expect(ctx.calls()).toBe(1);
    expect(verdict).toEqual(lexicon.detect('请问作业答案什么时候发', context));
    expect(verdict).toMatchObject({ label: 'complaint', severity: 'low' });
  });

  it('a worried message reads it to set its severity', () => {
    const ctx = lazy({ now, unansweredSinceMs: now - minutes(120), recent: [{ text: '孩子数学跟不上了', timestamp: now - minutes(60) }] });
    const verdict = lexicon.detect('孩子最近数学跟不上了', ctx.read);
    expect(ctx.calls()).toBe(1);
    expect(verdict.severity).not.toBe(lexicon.detect('孩子最近数学跟不上了').severity);
  });
});
