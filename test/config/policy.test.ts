import fs from 'node:fs';
import { ConfigError, DEFAULT_POLICY, parseConfig } from '../../src/config';
import { envSchema } from '../../src/config/schema';
import { RESPONSE_WORKING_MS } from '../../src/domain/metrics';
import { UNACCEPTED_AFTER_MS, WARN_WITHIN_MS } from '../../src/domain/reminders';
import { RATING_WORKDAYS } from '../../src/operations/close-unrated';

/** the local-policy numbers the seeds do not give become documented settings with defaults. */
const VARS = ['RESPONSE_WORKING_HOURS', 'DEADLINE_WARN_WORKING_HOURS', 'UNRATED_CLOSE_WORKDAYS', 'APPEAL_WORKDAYS'];

describe('policy settings', () => {
  it('default to what the rules do today', () => {
    expect(parseConfig({}).policy).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toEqual({ responseWorkingMs: RESPONSE_WORKING_MS, warnWithinMs: WARN_WITHIN_MS, unratedWorkdays: RATING_WORKDAYS, appealWorkdays: 3 });
    expect(DEFAULT_POLICY.responseWorkingMs).toBe(UNACCEPTED_AFTER_MS); // the untaken chase uses the same limit
  });

  it('read whole hours and days', () => {
    expect(parseConfig({ RESPONSE_WORKING_HOURS: '1', DEADLINE_WARN_WORKING_HOURS: ' 8 ', UNRATED_CLOSE_WORKDAYS: '5', APPEAL_WORKDAYS: '10' }).policy).toEqual({
      responseWorkingMs: 3_600_000, warnWithinMs: 8 * 3_600_000, unratedWorkdays: 5, appealWorkdays: 10,
    });
    expect(parseConfig({ RESPONSE_WORKING_HOURS: '' }).policy.responseWorkingMs).toBe(2 * 3_600_000); // blank is unset
  });

  it.each([
    ['RESPONSE_WORKING_HOURS', '0'], ['RESPONSE_WORKING_HOURS', '1.5'], ['DEADLINE_WARN_WORKING_HOURS', 'four'],
    ['DEADLINE_WARN_WORKING_HOURS', '46'], ['UNRATED_CLOSE_WORKDAYS', '-1'], ['APPEAL_WORKDAYS', '31'], ['APPEAL_WORKDAYS', '1e1'],
  ])('stop start naming %s when it is %j', (name, value) => {
    try {
      parseConfig({ [name]: value });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual([expect.stringMatching(new RegExp(`^${name}: must be a whole number of working (hours|days) from 1 to \\d+$`))]);
    }
  });

  it('are documented in .env.example, with their defaults', () => {
    const example = fs.readFileSync('.env.example', 'utf8');
    for (const v of VARS) {
      expect(Object.keys(envSchema.shape)).toContain(v);
      const m = new RegExp(`^# ${v}=(\\d+)$`, 'm').exec(example);
      expect(m).not.toBeNull();
      expect(parseConfig({ [v]: m![1] }).policy).toEqual(DEFAULT_POLICY);
    }
  });
});
