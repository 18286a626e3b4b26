// Jest globalSetup: every log line of the run is also written to one directory (src/log.ts
// MINQING_LOG_CAPTURE), for the audit reporter (log-audit.js) to read when the run is over. The
// directory is named after this (Jest's main) process; test workers find it by their parent's pid
// (log-capture-env.js), and the processes the tests start inherit the variable.
const fs = require('node:fs');
const { captureDir } = require('./log-capture-env');

module.exports = async function setup() {
  // Set by hand: the lines stay there after the run (to read them); else a directory of this run's own.
  if (process.env.MINQING_LOG_CAPTURE) return;
  process.env.MINQING_LOG_CAPTURE_OWNED = '1';
  const dir = captureDir(process.pid);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  process.env.MINQING_LOG_CAPTURE = dir;
};
