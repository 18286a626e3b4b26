import { QueryFailedError } from 'typeorm';
import { memoryLogger, protectSecrets } from '../src/log';
import { redactString } from '../src/log-redact';
import { CARD_SECRET } from './helpers/dingtalk';
import { FAKE_APP } from './helpers/fake-dingtalk';
import { ADMIN } from './helpers/harness';
import { TEST_WECOM } from './helpers/wecom';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the reporter is plain JS (jest loads it as is)
const reporter = require('./helpers/log-audit.js') as { SECRETS: string[]; audit: (dir: string) => { lines: number; findings: { what: string }[] } };

/**
 * What a log line never carries (docs/interface.md#security-and-retention): message text, SQL
 * parameters and statements, phone numbers and names, tokens, secrets, AES keys — whatever the
 * caller puts in it. The whole suite's logs are checked the same way by test/helpers/log-audit.js.
 */
describe('logs: the serializer drops what must not be logged', () => {
  const logged = (fn: (log: ReturnType<typeof memoryLogger>['log']) => void) => {
    const { log, lines } = memoryLogger('debug');
    fn(log);
    return JSON.stringify(lines());
  };

  it('drops SQL parameters and statements from a QueryFailedError, and the values a driver quotes back', () => {
    const driver = Object.assign(new Error("Duplicate entry '13900001111' for key 'uq_person_phone'"), { code: 'ER_DUP_ENTRY', sql: "INSERT INTO person (phone) VALUES ('13900001111')" });
    const e = new QueryFailedError('INSERT INTO request (text, reporter_name) VALUES (?, ?)', ['村口路灯坏了三天了', '袁志弟'], driver);
    const out = logged((log) => log.error({ err: e, path: '/api/v1/requests' }, 'request failed'));
    expect(out).not.toMatch(/村口|袁志弟|13900001111|INSERT INTO/);
    expect(JSON.parse(out)[0]).toMatchObject({ msg: 'request failed', path: '/api/v1/requests', err: { type: 'QueryFailedError', message: expect.stringContaining("Duplicate entry '[redacted]'") } });
    expect(JSON.parse(out)[0].err).not.toHaveProperty('parameters');
    expect(JSON.parse(out)[0].err).not.toHaveProperty('query');
  });

  it('drops message text, names and phone numbers in known fields, and in any string', () => {
    const out = logged((log) => {
      log.info({ text: 'hello my number', reporterName: 'Zhang', phone: '13800000001', requestId: 7 }, 'reported');
      log.warn({ reason: 'bad reply from 13800000002: 路灯坏了', nested: { content: 'x', list: [{ name: 'Li Si' }] } }, 'odd');
      log.info('villager 袁志弟 wrote 我家低保 call +86 138-0000-0003');
      log.error(new Error('reply 桥面塌了 failed'));
    });
    expect(out).not.toMatch(/hello my number|Zhang|13800000001|13800000002|1380000|Li Si|袁志弟|低保|桥面|[\u4e00-\u9fff]/);
    const lines = JSON.parse(out) as Record<string, any>[];
    expect(lines[0]).toMatchObject({ text: '[redacted]', reporterName: '[redacted]', phone: '[redacted]', requestId: 7, msg: 'reported' });
    expect(lines[1].reason).toBe('bad reply from [phone]: [zh]');
    expect(lines[3]).toMatchObject({ msg: 'reply [zh] failed', err: { type: 'Error', message: 'reply [zh] failed' } });
  });

  it('drops tokens, secrets and AES keys: by field, in URLs and headers, and the configured values anywhere', () => {
    protectSecrets([TEST_WECOM.WECOM_ENCODING_AES_KEY, TEST_WECOM.WECOM_SECRET]);
    const out = logged((log) => {
      log.child({ accessToken: 'tok1' }).info({ url: 'https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=tok1&debug=1', corpsecret: 's', apiSecret: 'a', encodingAesKey: 'k' }, 'send');
      log.warn({ detail: `key ${TEST_WECOM.WECOM_ENCODING_AES_KEY} and s3cret`, header: 'Bearer abc.def' }, 'odd');
    });
    expect(out).not.toMatch(/tok1|jWmYm7|s3cret|abc\.def/);
    expect(out).toContain('access_token=[redacted]&debug=1');
  });

  it('the audit knows every credential of the test setup', () => {
    expect(reporter.SECRETS).toEqual(
      expect.arrayContaining([TEST_WECOM.WECOM_SECRET, TEST_WECOM.WECOM_TOKEN, TEST_WECOM.WECOM_ENCODING_AES_KEY, FAKE_APP.secret, CARD_SECRET, ADMIN]),
    );
    expect(redactString('errcode=40014&access_token=x')).toBe('errcode=40014&access_token=[redacted]');
  });
});
