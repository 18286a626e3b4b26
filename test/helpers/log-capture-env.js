// Jest setupFiles: in a test worker, points src/log.ts at the run's capture directory (made by
// log-capture-setup.js in Jest's main process, the worker's parent). Also exports where it is.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const captureDir = (pid) => path.join(os.tmpdir(), `minqing-logs-${pid}`);

if (!process.env.MINQING_LOG_CAPTURE) {
  for (const pid of [process.ppid, process.pid]) {
    if (fs.existsSync(captureDir(pid))) {
      process.env.MINQING_LOG_CAPTURE = captureDir(pid);
      break;
    }
  }
}

module.exports = { captureDir };
