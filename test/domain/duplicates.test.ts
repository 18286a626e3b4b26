import { DUPLICATE_THRESHOLD, likelyDuplicates, similarity, textFeatures } from '../../src/domain/duplicates';
import { PAIRS as HELD } from './duplicates.heldout';
import { PAIRS, type LabelledPair } from './duplicates.pairs';

/** Likely duplicates: what the labelled sets measured must not get worse. */
describe('likely duplicates', () => {
  const count = (pairs: LabelledPair[]) => {
    let tp = 0;
    let fp = 0;
    for (const p of pairs) {
      const named = similarity(p.a, p.b) >= DUPLICATE_THRESHOLD;
      if (named && p.dup) tp++;
      if (named && !p.dup) fp++;
    }
    return { tp, fp, precision: tp / (tp + fp), recall: tp / pairs.filter((p) => p.dup).length };
  };

  it('finds every true pair of the labelled set, and names at most 15 of its 52 hard negatives (test/bench/DUPLICATES.md)', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(100);
    const c = count(PAIRS);
    expect(c.tp).toBeGreaterThanOrEqual(50);
    expect(c.fp).toBeLessThanOrEqual(15);
    expect(c.precision).toBeGreaterThanOrEqual(0.76);
    expect(c.recall).toBe(1);
  });

  it('keeps precision 0.61 and recall 0.80 on the held-out pairs', () => {
    const c = count(HELD);
    expect(c.tp).toBeGreaterThanOrEqual(16);
    expect(c.fp).toBeLessThanOrEqual(10);
    expect(c.precision).toBeGreaterThanOrEqual(0.61);
    expect(c.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('tells the same matter at another place, or another matter at the same place, from the same one', () => {
    const same = similarity('我们三组停水两天了，一点水都没有', '三组这边自来水断了两天，吃水都成问题');
    expect(same).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(similarity('三组停水两天了', '六组停水两天了')).toBeLessThan(DUPLICATE_THRESHOLD);
    expect(similarity('三组停水了，做饭都没水', '三组停电了，做饭都没电')).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('reads 3组, ３组 and 三组 as one place, and 村部 as 村委会', () => {
    expect([...textFeatures('3组路灯坏了').places]).toEqual(['三组']);
    expect([...textFeatures('３组路灯坏了').places]).toEqual(['三组']);
    expect([...textFeatures('12组').places]).toEqual(['十二组']);
    expect(textFeatures('村部边上的灯不亮').places.has('村委会')).toBe(true);
    expect(similarity('3组路灯坏了', '三组的灯坏了')).toBeGreaterThan(similarity('3组路灯坏了', '五组的灯坏了'));
  });

  const open = [
    { code: '20261124-001', text: '村口路灯坏了三天了，晚上黑灯瞎火的' },
    { code: '20261124-002', text: '三组停水两天了' },
    { code: '20261124-003', text: '村口的路灯不亮了' },
    { code: '20261124-004', text: '邻居占了我家宅基地' },
  ];

  it('names the open requests above the threshold, best first, at most `limit`', () => {
    const found = likelyDuplicates('村子进口那个路灯好几天不亮了，晚上走路看不见', open);
    expect(found.map((d) => d.candidate.code)).toEqual(['20261124-003', '20261124-001']);
    expect(found[0].score).toBeGreaterThanOrEqual(found[1].score);
    expect(likelyDuplicates('村子进口那个路灯好几天不亮了', open, DUPLICATE_THRESHOLD, 1).map((d) => d.candidate.code)).toEqual(['20261124-003']);
    expect(likelyDuplicates('医保今年在哪里交', open)).toEqual([]);
    expect(likelyDuplicates('村口路灯坏了', open, 1.01)).toEqual([]);
  });

  it('keeps the given order among equal scores, and names nothing for a text with no words', () => {
    const twins = [
      { code: 'A', text: '三组停水两天了' },
      { code: 'B', text: '三组停水两天了' },
    ];
    expect(likelyDuplicates('三组停水两天了', twins).map((d) => d.candidate.code)).toEqual(['A', 'B']);
    expect(likelyDuplicates('……？！ ', open, 0)).toEqual([]);
    expect(likelyDuplicates('', open, 0)).toEqual([]);
  });

  it('uses the features a candidate carries instead of reading its text again', () => {
    const kept = [{ code: 'X', text: '与此无关的文字', features: textFeatures('三组停水两天了') }];
    expect(likelyDuplicates('三组停水两天了', kept).map((d) => d.candidate.code)).toEqual(['X']);
  });
});
