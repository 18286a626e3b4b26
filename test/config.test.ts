import { ConfigError, enabledPlatforms, parseConfig } from '../src/config';
import { TEST_WECOM } from './helpers/wecom';

/** docs/interface.md#environment: one schema over the environment; a bad or half-set value names the variable. */

const DINGTALK = { DINGTALK_APP_KEY: 'dingkey', DINGTALK_APP_SECRET: 'dingsecret', DINGTALK_ROBOT_CODE: 'dingrobot' };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toMatch(/^配置有误 \/ invalid configuration:/);
    return (e as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('runs the sandbox on SQLite with nothing set', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: 'sqlite:./data/minqing.sqlite',
      orgFile: 'org.example.json',
      publicBaseUrl: 'http://localhost:3000',
      logLevel: 'info',
      sandbox: true,
    });
    expect(c.wecom).toBeUndefined();
    expect(c.dingtalk).toBeUndefined();
    expect(c.adminToken).toBeUndefined();
    expect(enabledPlatforms(c)).toEqual(['sandbox']);
  });

  it('treats empty and blank values as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_URL: '  ', WECOM_CORP_ID: '', ADMIN_TOKEN: ' ' })).toMatchObject({ port: 3000, sandbox: true, adminToken: undefined });
  });

  it('turns WeCom on with all five variables, with the documented defaults', () => {
    const c = parseConfig({ ...TEST_WECOM, PORT: '8080' });
    expect(c.wecom).toEqual({
      corpId: TEST_WECOM.WECOM_CORP_ID,
      agentId: 1000002,
      secret: TEST_WECOM.WECOM_SECRET,
      token: TEST_WECOM.WECOM_TOKEN,
      encodingAesKey: TEST_WECOM.WECOM_ENCODING_AES_KEY,
      timestampToleranceS: 300,
      apiBase: 'https://qyapi.weixin.qq.com',
      oauthBase: 'https://open.weixin.qq.com',
    });
    expect(c.sandbox).toBe(false);
    expect(c.publicBaseUrl).toBe('http://localhost:8080');
    expect(enabledPlatforms(c)).toEqual(['wecom']);
  });

  it.each(Object.keys(TEST_WECOM))('names %s when it is the one WeCom variable missing', (missing) => {
    const env: Record<string, string> = { ...TEST_WECOM };
    delete env[missing];
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(new RegExp(`^${missing}: missing`));
  });

  it('names every missing variable of a half-set group', () => {
    const p = problems({ WECOM_CORP_ID: 'ww1', DINGTALK_APP_KEY: 'k' });
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual(
      ['DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE', 'WECOM_AGENT_ID', 'WECOM_ENCODING_AES_KEY', 'WECOM_SECRET', 'WECOM_TOKEN'].sort(),
    );
  });

  it('turns DingTalk on with its three variables, and both platforms when both are set', () => {
    const d = parseConfig(DINGTALK);
    expect(d.dingtalk).toMatchObject({ appKey: 'dingkey', mode: 'stream', apiBase: 'https://api.dingtalk.com', oapiBase: 'https://oapi.dingtalk.com' });
    expect(enabledPlatforms(d)).toEqual(['dingtalk']);
    expect(enabledPlatforms(parseConfig({ ...TEST_WECOM, ...DINGTALK }))).toEqual(['wecom', 'dingtalk']);
    expect(problems({ ...DINGTALK, DINGTALK_MODE: 'websocket' })[0]).toMatch(/^DINGTALK_MODE:/);
  });

  it.each(['abc', '70000', '-1', '3.5', '1e3', '0x50', '80 80'])('names PORT when it is %j', (v) => {
    const p = problems({ PORT: v });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^PORT: /);
  });

  it('takes a port number, including 0 (any free port)', () => {
    expect(parseConfig({ PORT: '0' }).port).toBe(0);
    expect(parseConfig({ PORT: ' 8080 ' }).port).toBe(8080);
  });

  it.each(['postgres://u:p@h/db', 'minqing.sqlite', 'sqlite:', 'mysql://', 'file:./x.sqlite', 'mysql://mq:pw@127.0.0.1:3306', 'mysql://mq:pw@127.0.0.1:3306/', 'mysql://not a url/db'])('names DATABASE_URL when it is %j', (v) => {
    expect(problems({ DATABASE_URL: v })[0]).toMatch(/^DATABASE_URL: /);
  });

  it('takes sqlite:PATH and mysql:// URLs', () => {
    expect(parseConfig({ DATABASE_URL: 'sqlite:/var/lib/minqing/db.sqlite' }).databaseUrl).toBe('sqlite:/var/lib/minqing/db.sqlite');
    expect(parseConfig({ DATABASE_URL: 'mysql://mq:pw@127.0.0.1:3306/minqing' }).databaseUrl).toBe('mysql://mq:pw@127.0.0.1:3306/minqing');
    expect(parseConfig({ DATABASE_URL: 'mariadb://mq:p%40ss@db.internal/minqing?charset=utf8mb4' }).databaseUrl).toMatch(/^mariadb:/);
  });

  it.each([
    ['42 characters', TEST_WECOM.WECOM_ENCODING_AES_KEY.slice(1)],
    ['44 characters', `${TEST_WECOM.WECOM_ENCODING_AES_KEY}=`],
    ['a character outside base64', `${TEST_WECOM.WECOM_ENCODING_AES_KEY.slice(1)}!`],
  ])('names WECOM_ENCODING_AES_KEY when it has %s', (_what, key) => {
    const p = problems({ ...TEST_WECOM, WECOM_ENCODING_AES_KEY: key });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^WECOM_ENCODING_AES_KEY: .*43-character EncodingAESKey/);
  });

  it('names WECOM_AGENT_ID, WECOM_TIMESTAMP_TOLERANCE_S and WECOM_API_BASE when they are bad', () => {
    expect(problems({ ...TEST_WECOM, WECOM_AGENT_ID: 'app1' })[0]).toMatch(/^WECOM_AGENT_ID: /);
    expect(problems({ ...TEST_WECOM, WECOM_TIMESTAMP_TOLERANCE_S: '-5' })[0]).toMatch(/^WECOM_TIMESTAMP_TOLERANCE_S: /);
    expect(problems({ ...TEST_WECOM, WECOM_TIMESTAMP_TOLERANCE_S: '5m' })[0]).toMatch(/^WECOM_TIMESTAMP_TOLERANCE_S: /);
    expect(problems({ ...TEST_WECOM, WECOM_API_BASE: 'qyapi.weixin.qq.com' })[0]).toMatch(/^WECOM_API_BASE: /);
  });

  it('takes WECOM_TIMESTAMP_TOLERANCE_S=0 (check off) and a WECOM_API_BASE without its trailing slash', () => {
    const c = parseConfig({ ...TEST_WECOM, WECOM_TIMESTAMP_TOLERANCE_S: '0', WECOM_API_BASE: 'http://127.0.0.1:9999/' });
    expect(c.wecom).toMatchObject({ timestampToleranceS: 0, apiBase: 'http://127.0.0.1:9999' });
  });

  it('names ADMIN_TOKEN, PUBLIC_BASE_URL and LOG_LEVEL when they are bad', () => {
    expect(problems({ ADMIN_TOKEN: 'short' })[0]).toMatch(/^ADMIN_TOKEN: /);
    expect(problems({ PUBLIC_BASE_URL: 'minqing.example.gov.cn' })[0]).toMatch(/^PUBLIC_BASE_URL: /);
    expect(problems({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL: /);
    expect(parseConfig({ PUBLIC_BASE_URL: 'https://minqing.example.gov.cn/' }).publicBaseUrl).toBe('https://minqing.example.gov.cn');
  });

  it('lists every bad variable at once', () => {
    const p = problems({ PORT: 'x', DATABASE_URL: 'y', LOG_LEVEL: 'z' });
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });
});
