import { describe, expect, it } from 'vitest';
import { createDetector, detectorOptions, detectorSettingsSchema } from '../src/detector/index.js';

describe('playbook detector settings', () => {
  it('defaults to balanced with no extra terms', () => {
    expect(detectorSettingsSchema.parse({})).toEqual({ sensitivity: 'balanced', extra_terms: [] });
  });

  it('accepts sensitivity and extra terms, and turns them into detector options', () => {
    const settings = detectorSettingsSchema.parse({
      sensitivity: 'cautious',
      extra_terms: [{ term: '  练习册…没到 ', label: 'complaint' }, { term: '托管班', label: 'none', weight: 1 }],
    });
    expect(detectorOptions(settings)).toEqual({
      sensitivity: 'cautious',
      extraTerms: [{ term: '练习册…没到', label: 'complaint' }, { term: '托管班', label: 'none', weight: 1 }],
    });
    const detector = createDetector({ ...detectorOptions(settings), secondOpinion: false });
    expect(detector.detect('练习册等了一周都没到').label).toBe('complaint');
  });

  it('explains mistakes in Chinese', () => {
    const messages = (input: unknown) => {
      const r = detectorSettingsSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(messages({ sensitivity: 'loud' })[0]).toContain('灵敏度只能是');
    expect(messages({ extra_terms: [{ term: '', label: 'complaint' }] })[0]).toContain('词条不能为空');
    expect(messages({ extra_terms: [{ term: '没人理', label: 'angry' }] })[0]).toContain('类别只能是');
    expect(messages({ extra_terms: [{ term: '没人理', label: 'complaint', weight: 9 }] })[0]).toContain('权重最多 5');
    expect(messages({ extra_terms: [{ term: '说好的…', label: 'complaint' }] })[0]).toContain('间隔词条的每一段都不能为空');
  });
});
