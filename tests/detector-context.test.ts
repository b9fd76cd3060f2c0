import { describe, expect, it } from 'vitest';
import { createDetector, factsOf, type DetectorContext } from '../src/detector/index.js';

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

describe('worry detector: signs of danger spread over a member\'s messages (issue 19)', () => {
  const detector = createDetector();
  const home = { text: '孩子还没到家', timestamp: now - minutes(10) };

  it('a weak sign after an earlier one is safety, and more urgent than either message alone', () => {
    expect(detector.detect('孩子还没到家')).toMatchObject({ label: 'safety', severity: 'high' });
    expect(detector.detect('电话也打不通').label).toBe('none');
    const second = detector.detect('电话也打不通', { now, recent: [home] });
    expect(second).toMatchObject({ label: 'safety', severity: 'urgent' });
    expect(second.reasons).toContain('前文:安全:还没到家');
    expect(factsOf(second.reasons, second.label)).toEqual(['联系不上孩子', '孩子还没到家']);
  });

  it('earlier messages outside the window, resolved, or without danger add nothing', () => {
    expect(detector.detect('电话也打不通', { now, recent: [{ ...home, timestamp: now - minutes(180) }] }).label).toBe('none');
    expect(detector.detect('电话也打不通', { now, recent: [{ text: '孩子还没到家，刚找到了，虚惊一场', timestamp: now - minutes(10) }] }).label).toBe('none');
    expect(detector.detect('电话也打不通', { now, recent: [{ text: '今天作业是什么', timestamp: now - minutes(10) }] }).label).toBe('none');
  });

  it('a message without a sign of danger does not read the history for it', () => {
    const ctx = lazy({ now, recent: [home] });
    expect(detector.detect('谢谢老师，明天见', ctx.read).label).toBe('none');
    expect(ctx.calls()).toBe(0);
  });
});
