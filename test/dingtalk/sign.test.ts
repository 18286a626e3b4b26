import { dingtalkSign, verifyDingtalkSign } from '../../bot/dingtalk/sign';

/**
 * The callback signature: base64(HmacSHA256(key = appSecret, timestamp + "\n" + appSecret)).
 * Published vectors (inputs from DingTalk's documentation — timestamp 1577262236757 and the
 * secrets "this is secret" / "this is a secret" — with outputs as other projects' tests assert
 * them): a Swift push-signing test ("&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9t…"),
 * and a Rust DingTalk callback test ("official example inputs, calculated independently with
 * Python hmac/hashlib": "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA="), both found in the
 * public code index by `search`/`find_string`.
 */
describe('DingTalk callback signature', () => {
  const T = 1577262236757;

  it('matches the published vectors', () => {
    expect(dingtalkSign(String(T), 'this is secret')).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
    expect(dingtalkSign(String(T), 'this is a secret')).toBe('DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=');
  });

  it('matches one computed here by hand from the definition', () => {
    // python3: base64(hmac.new(b"dt-s3cret", b"1764122400000\ndt-s3cret", sha256).digest())
    expect(dingtalkSign('1764122400000', 'dt-s3cret')).toBe('q/IQl8W/QgqkA1QBT4XNWYQWqSzD7hE3h3TLxkXhMwA=');
  });

  it('accepts a fresh, correct signature and anything up to an hour either side', () => {
    const sign = dingtalkSign(String(T), 'this is a secret');
    expect(verifyDingtalkSign({ timestamp: String(T), sign }, 'this is a secret', T)).toEqual({ ok: true });
    expect(verifyDingtalkSign({ timestamp: String(T), sign }, 'this is a secret', T + 3_600_000).ok).toBe(true);
    expect(verifyDingtalkSign({ timestamp: String(T), sign }, 'this is a secret', T - 3_600_000).ok).toBe(true);
  });

  it.each([
    ['no headers', {}, T],
    ['no sign', { timestamp: String(T) }, T],
    ['a stale timestamp', { timestamp: String(T), sign: dingtalkSign(String(T), 'this is a secret') }, T + 3_600_001],
    ['a future timestamp', { timestamp: String(T), sign: dingtalkSign(String(T), 'this is a secret') }, T - 3_600_001],
    ['seconds, not ms', { timestamp: String(Math.floor(T / 1000)), sign: dingtalkSign(String(Math.floor(T / 1000)), 'this is a secret') }, T],
    ['a timestamp that is not a number', { timestamp: '1577262236757.0', sign: 'x' }, T],
    ['the wrong secret', { timestamp: String(T), sign: dingtalkSign(String(T), 'this is secret') }, T],
    ['a url-encoded sign', { timestamp: String(T), sign: encodeURIComponent(dingtalkSign(String(T), 'this is a secret')) }, T],
    ['a truncated sign', { timestamp: String(T), sign: 'DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA' }, T],
    ['repeated headers', { timestamp: [String(T), String(T)], sign: dingtalkSign(String(T), 'this is a secret') }, T],
  ])('refuses %s with a 401 and a reason', (_name, headers, now) => {
    const r = verifyDingtalkSign(headers, 'this is a secret', now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(401);
      expect(r.reason).toMatch(/\w/);
    }
  });
});
