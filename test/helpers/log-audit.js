// Jest reporter: when the whole run is over, reads every log line it wrote (log-capture-setup.js)
// and fails the run if one carries a credential the tests use, a phone number, or Chinese text (what
// people wrote: messages, names, results — logs are English, docs/interface.md#security-and-retention).
// Prints one line: how many lines were read and what was found.
const fs = require('node:fs');
const path = require('node:path');

/**
 * The credentials of the test setup (test/helpers/wecom.ts TEST_WECOM, test/helpers/fake-dingtalk.ts
 * FAKE_APP, test/helpers/dingtalk.ts CARD_SECRET, test/helpers/harness.ts ADMIN); test/log-audit.test.ts
 * checks this list against them.
 */
const SECRETS = ['s3cret', 'QDG6eKtest', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', 'dt-s3cret-for-tests', 'card-callback-secret-for-tests', 'test-admin-token'];

/** What must not appear; each with what it is. */
const RULES = [
  ...SECRETS.map((s) => ({ what: 'a credential of the tests', test: (line) => line.includes(s) })),
  // The fakes' access tokens (tok1, dtok2 …) as a value: in a URL or a JSON string.
  { what: 'an access token of the fakes', test: (line) => /(=|")d?tok\d+(&|"|\s|$)/.test(line) },
  { what: 'a phone number', test: (line) => /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/.test(line) },
  { what: 'Chinese text (what someone wrote)', test: (line) => /[\u3400-\u4dbf\u4e00-\u9fff]/.test(line) },
];

/** The findings in the lines of `dir` (one JSONL file per process). */
function audit(dir) {
  const findings = [];
  let lines = 0;
  let files = 0;
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    files++;
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      for (const r of RULES) if (r.test(line)) findings.push({ what: r.what, line: line.slice(0, 400) });
    }
  }
  return { files, lines, findings };
}

class LogAuditReporter {
  constructor() {
    this.error = undefined;
  }

  onRunComplete() {
    const dir = process.env.MINQING_LOG_CAPTURE;
    if (!dir) return;
    const { files, lines, findings } = audit(dir);
    if (process.env.MINQING_LOG_CAPTURE_OWNED) fs.rmSync(dir, { recursive: true, force: true });
    if (!findings.length) {
      process.stderr.write(`log audit: ${lines} log lines from ${files} processes: no credential, phone number or message text\n`);
      return;
    }
    const shown = findings.slice(0, 20).map((f) => `  ${f.what}: ${f.line}`).join('\n');
    process.stderr.write(`log audit: ${findings.length} of ${lines} log lines carry what must not be logged:\n${shown}\n`);
    this.error = new Error(`log audit failed: ${findings.length} log lines carry credentials, phone numbers or message text`);
  }

  getLastError() {
    return this.error;
  }
}

module.exports = LogAuditReporter;
module.exports.audit = audit;
module.exports.SECRETS = SECRETS;
