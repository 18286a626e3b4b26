'use strict';
/**
 * Summarises a V8 .cpuprofile (as written by `BENCH_PROFILE=real npm run bench`):
 *
 *   node test/bench/profile.js FILE.cpuprofile [--top 40] [--frames name1,name2,…]
 *
 * prints self time by function and by file/package, and the inclusive ("total") time of the named
 * functions or files (a name with `/`, `.` or `:` matches a file or `npm:package`) — each sample
 * counted once per name even under recursion. Stacks end at an `await`: code that runs after one
 * is not counted under the async function that awaited, so inclusive time is exact only for
 * synchronous callees (self time is always exact).
 */
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
if (!file) {
  console.error('usage: node test/bench/profile.js FILE.cpuprofile [--top N] [--frames a,b,c]');
  process.exit(2);
}
const top = Number(opt('top', 40));
const frames = (opt('frames', '') || '').split(',').filter(Boolean);

const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample weights: time deltas (µs) attributed to each sample's node.
const selfUs = new Map();
let totalUs = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
});

const root = path.resolve(__dirname, '..', '..');
function where(cf) {
  let u = cf.url || '';
  if (u.startsWith('file://')) u = u.slice(7);
  if (u.startsWith(root)) u = u.slice(root.length + 1);
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 13).split('/');
    u = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return { file: `npm:${u}`, fn: `${cf.functionName || '(anonymous)'} ${u}` };
  }
  if (!u) return { file: `(${cf.functionName || 'native'})`, fn: cf.functionName || '(native)' };
  return { file: u, fn: `${cf.functionName || '(anonymous)'} ${u}:${cf.lineNumber + 1}` };
}

const pct = (us) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;

function tally(key) {
  const m = new Map();
  for (const [id, us] of selfUs) {
    const k = key(where(byId.get(id).callFrame), byId.get(id).callFrame);
    m.set(k, (m.get(k) ?? 0) + us);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
}

console.log(`${file}: ${ms(totalUs)} sampled\n`);
console.log('self time by file / package');
for (const [k, us] of tally((w) => w.file).slice(0, top)) console.log(`${pct(us)} ${ms(us)}  ${k}`);
console.log('\nself time by function');
for (const [k, us] of tally((w) => w.fn).slice(0, top)) console.log(`${pct(us)} ${ms(us)}  ${k}`);

if (frames.length) {
  console.log('\ninclusive time (sample has the function anywhere on its stack)');
  for (const name of frames) {
    let us = 0;
    for (const [id, t] of selfUs) {
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const cf = byId.get(n).callFrame;
        // A name with a slash or a dot matches a file or package ("npm:typeorm", "src/db/db.ts"); else a function name.
        const hit = /[/.:]/.test(name) ? where(cf).file.includes(name) : cf.functionName === name;
        if (hit) {
          us += t;
          break;
        }
      }
    }
    console.log(`${pct(us)} ${ms(us)}  ${name}`);
  }
}
