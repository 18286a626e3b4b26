import fs from 'node:fs';
import path from 'node:path';

/**
 * dingtalk-jsapi for the browser: the package ships CommonJS modules only, so the few the login page
 * needs (the union entry and `runtime.permission.requestAuthCode`) are wrapped here, once, into one
 * script that sets `window.dd` — served from this app, no CDN (docs/interface.md#pages).
 */
export function dingtalkJsapiBundle(): string {
  const root = path.dirname(require.resolve('dingtalk-jsapi/package.json'));
  const entries = [path.join(root, 'entry/union.js'), path.join(root, 'api/runtime/permission/requestAuthCode.js')];
  const ids = new Map<string, number>();
  const defs: string[] = [];
  const resolveFrom = (from: string, spec: string): string => {
    const base = spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : require.resolve(spec, { paths: [path.dirname(from)] });
    for (const c of [base, `${base}.js`, path.join(base, 'index.js')]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
    throw new Error(`dingtalk-jsapi bundle: cannot resolve ${spec} from ${from}`);
  };
  const add = (file: string): number => {
    const known = ids.get(file);
    if (known !== undefined) return known;
    const id = ids.size;
    ids.set(file, id);
    defs.push('');
    const src = fs.readFileSync(file, 'utf8');
    const map: Record<string, number> = {};
    for (const m of src.matchAll(/require\("([^"]+)"\)/g)) map[m[1]] = add(resolveFrom(file, m[1]));
    defs[id] = `${id}:[function(module,exports,require){${src}\n},${JSON.stringify(map)}]`;
    return id;
  };
  const [union, authCode] = entries.map(add);
  return (
    '(function(){var defs={' + defs.join(',') + '};var cache={};' +
    'function load(id){if(cache[id])return cache[id].exports;var m={exports:{}};cache[id]=m;var d=defs[id];' +
    'd[0].call(m.exports,m,m.exports,function(s){if(!(s in d[1]))throw new Error("dd bundle: "+s);return load(d[1][s]);});return m.exports;}' +
    `var dd=load(${union});var rac=load(${authCode}).requestAuthCode$;dd.runtime=dd.runtime||{};dd.runtime.permission=dd.runtime.permission||{};` +
    'if(!dd.runtime.permission.requestAuthCode)dd.runtime.permission.requestAuthCode=rac;window.dd=dd;})();\n'
  );
}
