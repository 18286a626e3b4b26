import { parseLedgerFilter } from '../../src/domain/ledger-filter';
import { lateness } from '../../src/domain/lateness';
import { parsePeriod, periodChoices, trendWeeks } from '../../src/domain/report-period';
import { WorkCalendar } from '../../src/domain/calendar';

/** The dashboard's periods, the ledger's filters and how late an item is — pure, on 2026 dates. */
const t = (s: string) => Date.parse(`${s}+08:00`);
const THU = t('2026-11-26T10:00:00');

describe('dashboard periods', () => {
  it('defaults to the week before the current one: the week the Monday digest reports', () => {
    const p = parsePeriod({}, THU);
    expect(p).toMatchObject({
      kind: 'week',
      key: '2026-11-16',
      cur: { from: t('2026-11-16T00:00:00'), to: t('2026-11-23T00:00:00') },
      prev: { from: t('2026-11-09T00:00:00') },
      running: false,
    });
  });

  it('names a week by any of its days, and a month', () => {
    expect(parsePeriod({ week: '2026-11-26' }, THU)).toMatchObject({ key: '2026-11-23', running: true });
    expect(parsePeriod({ week: '2026-01-01' }, THU)).toMatchObject({ key: '2025-12-29' });
    const jan = parsePeriod({ month: '2026-01' }, THU);
    expect(jan).toMatchObject({
      kind: 'month',
      cur: { from: t('2026-01-01T00:00:00'), to: t('2026-02-01T00:00:00') },
      prev: { from: t('2025-12-01T00:00:00'), to: t('2026-01-01T00:00:00') },
    });
    expect(parsePeriod({ month: '2026-11' }, THU)).toMatchObject({ running: true });
  });

  it('says in Chinese what is wrong with a period', () => {
    expect(parsePeriod({ week: '2026-11-31' }, THU)).toEqual({ error: expect.stringContaining('周应写成') });
    expect(parsePeriod({ week: '2026-11-30' }, THU)).toEqual({ error: '这一周还没有到。' });
    expect(parsePeriod({ month: '2026-12' }, THU)).toEqual({ error: '这个月还没有到。' });
    expect(parsePeriod({ month: '2026-1' }, THU)).toEqual({ error: expect.stringContaining('2026-11') });
    expect(parsePeriod({ week: '2026-11-16', month: '2026-11' }, THU)).toEqual({ error: expect.any(String) });
  });

  it('draws twelve weeks ending with the period’s last week, or this week for a running month', () => {
    const w = parsePeriod({}, THU);
    if ('error' in w) throw new Error(w.error);
    const weeks = trendWeeks(w, THU);
    expect(weeks).toHaveLength(12);
    expect(weeks[11]).toEqual(w.cur);
    expect(weeks[0].from).toBe(t('2026-08-31T00:00:00'));
    const m = parsePeriod({ month: '2026-11' }, THU);
    if ('error' in m) throw new Error(m.error);
    expect(trendWeeks(m, THU)[11].from).toBe(t('2026-11-23T00:00:00'));
    const oct = parsePeriod({ month: '2026-10' }, THU);
    if ('error' in oct) throw new Error(oct.error);
    expect(trendWeeks(oct, THU)[11].from).toBe(t('2026-10-26T00:00:00')); // the week of Sat 10-31
  });

  it('offers this week and twelve before it, this month and eleven before it', () => {
    const c = periodChoices(THU);
    expect(c.weeks).toHaveLength(13);
    expect(c.weeks[0]).toBe('2026-11-23');
    expect(c.weeks[12]).toBe('2026-08-31');
    expect(c.months[0]).toBe('2026-11');
    expect(c.months[11]).toBe('2025-12');
  });
});

describe('ledger filters', () => {
  it('takes the current month by default, a month, or all months', () => {
    expect(parseLedgerFilter({}, THU)).toMatchObject({ month: '2026-11', since: t('2026-11-01T00:00:00'), until: t('2026-12-01T00:00:00'), status: '' });
    expect(parseLedgerFilter({ month: 'all' }, THU)).toEqual({ month: null, status: '', village: undefined, owner: undefined, statuses: undefined });
  });

  it('takes 在办 or a list of statuses, a village and an owner', () => {
    expect(parseLedgerFilter({ status: 'open' }, THU)).toMatchObject({ statuses: ['pending', 'accepted', 'rejection_pending'] });
    expect(parseLedgerFilter({ status: 'closed,rejected', village: 'guangou', owner: 'li' }, THU)).toMatchObject({
      statuses: ['closed', 'rejected'],
      village: 'guangou',
      owner: 'li',
    });
  });

  it('refuses what is not a filter, in Chinese', () => {
    for (const q of [{ status: 'done' }, { month: '2026-13' }, { village: '关沟村' }, { owner: 'a b' }])
      expect(parseLedgerFilter(q, THU)).toEqual({ error: expect.stringMatching(/[\u4e00-\u9fa5]/) });
  });
});

describe('how late', () => {
  const cal = new WorkCalendar();
  it('counts working days once a day late, else working hours', () => {
    // Due Wed 11-18 17:30; Thu 11-26 10:00 is 5 whole working days (Thu, Fri, Mon, Tue, Wed) and 1.5 hours later.
    expect(lateness(cal, t('2026-11-18T17:30:00'), THU)).toEqual({ days: 5, hours: 0 });
    expect(lateness(cal, t('2026-11-25T17:30:00'), THU)).toEqual({ days: 0, hours: 2 });
    expect(lateness(cal, t('2026-11-26T09:59:00'), THU)).toEqual({ days: 0, hours: 1 });
    // Over a weekend: due Fri 17:30, seen Mon 09:00 — half an hour of working time.
    expect(lateness(cal, t('2026-11-20T17:30:00'), t('2026-11-23T09:00:00'))).toEqual({ days: 0, hours: 1 });
  });
});
