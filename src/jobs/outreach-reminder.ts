import { outreachForMonth, outreachReminders } from '../domain/outreach-report';
import { period, periodsOf } from '../domain/periods';
import { areaDuties, residentDuties } from '../domain/visits';
import { firstWorkdayFromDayOfMonth } from './days';
import { loadOutreach } from './outreach-data';
import { Job } from './types';

/**
 * The 25th (or the first working day after), 09:00 — the visit duties of seeds 000 §五 and 001 §二.4/§二.7
 * (docs/rules.md#11, src/domain/visits.ts), one message to each person behind: a 村主干 (secretary or
 * director) below ten households this month; a paired household not visited this month; no pair at
 * all. In a quarter's last month a resident cadre also hears of the half-year's households not yet
 * visited and a 户主会 not yet held; in June and December the other village cadres of their 责任片
 * households below two visits this year.
 */
export const outreachReminder: Job = {
  id: 'outreach-reminder',
  cron: '0 9 25-31 * *',
  description: '每月25日（遇节假日顺延）9:00：提醒走访不足10户的村主干、本月未走访结对户或未结对的干部；季末提醒驻村干部半年走访和户主会，6月、12月提醒责任片走访',
  day: firstWorkdayFromDayOfMonth(25),
  async run(ctx) {
    const { month, half, year } = periodsOf(ctx.at);
    const now = ctx.at.getTime();
    const data = await loadOutreach(ctx.deps, period(year).from, now);
    for (const u of data.unregistered) ctx.log.info({ personId: u.personId, pair: u.text }, 'pair not in the household register (households import)');
    const m = outreachForMonth(data.inputs, month);
    const mm = Number(month.slice(5, 7));
    const more = {
      residents: mm % 3 === 0 ? residentDuties(data.inputs, half) : undefined,
      areas: mm === 6 || mm === 12 ? areaDuties(data.inputs, year) : undefined,
    };
    const messages = outreachReminders(m, data.names, more);
    for (const { personId, text } of messages) {
      const p = ctx.deps.directory.person(personId);
      if (p?.active) ctx.tell(p, text);
    }
    const heads = m.heads.filter((h) => h.short > 0).length;
    return `${messages.length} reminders for ${month}: ${heads} of ${m.heads.length} village heads below 10, ${m.pairs.filter((p) => p.missed.length).length} with a pair not visited, ${m.missingPairs.length} without a pair (${data.inputs.visits.length} visits this year so far)`;
  },
};
