'use strict';
/** The benches' child processes (run.js, proof-load.js): fork one, wait for an IPC message, wait for its exit. */
const { fork } = require('node:child_process');
const path = require('node:path');

/** Every child still running: killed when a bench fails or exits. */
const children = new Set();

/** Forks `file` (in test/bench) with the parent's environment plus `extraEnv`, stdout/stderr inherited. */
function start(file, args, extraEnv) {
  const child = fork(path.join(__dirname, file), args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const exited = (child) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));

/** Waits for the first IPC message that has `key`; rejects if the child exits first. */
function receive(child, key) {
  return new Promise((resolve, reject) => {
    const onMsg = (m) => {
      if (m && m[key] !== undefined) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`child ${child.spawnargs.slice(1).join(' ')} exited (${code}) before sending ${key}`));
    };
    const cleanup = () => {
      child.off('message', onMsg);
      child.off('exit', onExit);
    };
    child.on('message', onMsg);
    child.on('exit', onExit);
  });
}

module.exports = { children, start, exited, receive };
