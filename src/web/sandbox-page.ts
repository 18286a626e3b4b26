/**
 * The sandbox chat page at /sandbox: one self-contained HTML string (inline CSS and JS, nothing
 * fetched from the network), so `tsc` ships it without copying files. It talks only to the JSON
 * endpoints of `bot/sandbox/adapter.ts`. Everything people typed is put into the page with
 * `textContent` / `createTextNode`, never as markup.
 *
 * Kept as String.raw: the page's script must contain no backquote and no dollar-brace.
 */
export const SANDBOX_PAGE = String.raw`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>民情直通车 · 沙盒</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:15px/1.5 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif;color:#1f2329;background:#f2f3f5;display:flex;flex-direction:column;height:100vh;height:100dvh}
button,input,select{font:inherit;color:inherit}
button{cursor:pointer}
[hidden]{display:none!important}
.top{background:#1f6fd6;color:#fff;padding:8px 12px}
.top b{font-size:16px}
.top .tag{display:inline-block;margin-left:6px;padding:0 6px;border-radius:4px;background:#fff3;font-size:12px;vertical-align:2px}
.top p{margin:2px 0 0;font-size:12px;opacity:.92}
.layout{flex:1;min-height:0;display:flex;position:relative}
aside{position:fixed;inset:0 auto 0 0;width:86%;max-width:340px;background:#fff;z-index:20;transform:translateX(-102%);transition:transform .2s;display:flex;flex-direction:column;box-shadow:2px 0 12px #0003}
aside.open{transform:none}
#scrim{position:fixed;inset:0;background:#0005;z-index:10}
.who-head{display:flex;align-items:center;justify-content:space-between;padding:10px 12px;font-weight:600;border-bottom:1px solid #eee}
.icon{border:0;background:none;font-size:22px;line-height:1;padding:0 4px;color:#666}
#who-list{flex:1;overflow:auto;padding-bottom:8px}
.grp h3{margin:0;padding:8px 12px 4px;font-size:12px;font-weight:600;color:#86909c;background:#fafafa;position:sticky;top:0}
.idn{display:flex;flex-wrap:wrap;align-items:center;gap:0 6px;width:100%;text-align:left;border:0;border-bottom:1px solid #f2f2f2;background:#fff;padding:8px 12px}
.idn:hover{background:#f5f8ff}
.idn.on{background:#e8f1ff;box-shadow:inset 3px 0 #1f6fd6}
.idn .nm{font-weight:600}
.idn .dt{flex-basis:100%;font-size:12px;color:#86909c}
.duty{font-size:11px;color:#fff;background:#14a34a;border-radius:3px;padding:0 4px}
.badge{min-width:18px;height:18px;padding:0 5px;border-radius:9px;background:#f54a45;color:#fff;font-size:11px;line-height:18px;text-align:center;margin-left:auto}
details.add{border-top:1px solid #eee;padding:8px 12px}
details.add summary{cursor:pointer;color:#1f6fd6;list-style:none}
details.add summary::-webkit-details-marker{display:none}
.add form{display:flex;flex-direction:column;gap:6px;margin-top:8px}
.add input,.add select{padding:6px 8px;border:1px solid #d0d3d6;border-radius:6px;background:#fff}
.btn{border:1px solid #d0d3d6;background:#fff;border-radius:6px;padding:6px 12px}
.btn.primary{background:#1f6fd6;border-color:#1f6fd6;color:#fff}
.btn.danger{color:#d9363e;border-color:#f0b4b6}
.btn:disabled{opacity:.5;cursor:default}
main{flex:1;min-width:0;display:flex;flex-direction:column}
.bar{background:#fff;border-bottom:1px solid #e5e6eb;padding:6px 8px}
#who-open{display:flex;align-items:center;gap:6px;width:100%;border:1px solid #d0d3d6;border-radius:8px;background:#fff;padding:6px 10px;text-align:left}
#who-open .dt{font-size:12px;color:#86909c;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1;min-width:0}
#who-open .caret{color:#86909c}
#status{padding:4px 12px;font-size:13px;background:#fff7e6;color:#ad6800;border-bottom:1px solid #ffe7ba}
#status.err{background:#fff1f0;color:#cf1322;border-color:#ffccc7}
#log{flex:1;overflow-y:auto;padding:12px 10px;background:#ededed}
.empty{margin:24px auto;max-width:420px;padding:14px 16px;background:#fff;border-radius:10px;color:#4e5969;font-size:14px}
.empty b{color:#1f2329}
.msg{display:flex;gap:8px;margin:0 0 12px;align-items:flex-start}
.msg.mine{flex-direction:row-reverse}
.av{flex:none;width:34px;height:34px;border-radius:6px;background:#1f6fd6;color:#fff;display:flex;align-items:center;justify-content:center;font-size:14px}
.mine .av{background:#5b8c00}
.body{max-width:min(78%,480px);min-width:0;display:flex;flex-direction:column}
.mine .body{align-items:flex-end}
.meta{font-size:11px;color:#86909c;margin:0 2px 2px}
.bubble{background:#fff;border-radius:8px;padding:8px 10px;white-space:pre-wrap;word-break:break-word}
.mine .bubble{background:#95ec69}
.bubble.media{color:#3d5a1e}
.bubble img{display:block;max-width:100%;border-radius:4px}
.card{background:#fff;border-radius:8px;padding:10px 12px;width:320px;max-width:100%;border:1px solid #e5e6eb}
.card-h{font-weight:600;font-size:15px}
.card-sub{font-size:12px;color:#86909c;margin-bottom:6px}
.quote{border-left:3px solid #c9cdd4;padding:2px 8px;margin:6px 0;color:#4e5969;white-space:pre-wrap;word-break:break-word}
.fields{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0;font-size:13px}
.fields dt{color:#86909c}
.fields dd{margin:0;word-break:break-word}
.sel{display:flex;flex-direction:column;gap:2px;font-size:12px;color:#86909c;margin:8px 0 4px}
.sel select{padding:6px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329;font-size:14px;max-width:100%}
.btns{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.pending{font-size:12px;color:#86909c;margin-top:4px}
.closed{margin-top:8px;padding:6px 8px;border-radius:6px;background:#f2f3f5;color:#4e5969;font-size:13px}
.link{display:inline-block;margin-top:6px;font-size:12px;color:#1f6fd6}
#composer{background:#f7f7f7;border-top:1px solid #e5e6eb;padding:6px 8px calc(6px + env(safe-area-inset-bottom))}
.media-row{display:flex;gap:6px;margin-bottom:6px;overflow-x:auto}
.media-row button{flex:none;border:1px solid #d0d3d6;background:#fff;border-radius:14px;padding:1px 10px;font-size:12px;color:#4e5969}
.send-row{display:flex;gap:6px}
#text{flex:1;min-width:0;padding:8px 10px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;font-size:16px}
#send{flex:none}
@media (min-width:800px){
  .top{padding:10px 20px}
  aside{position:static;transform:none;box-shadow:none;width:300px;max-width:none;border-right:1px solid #e5e6eb;transition:none}
  #scrim,#who-close{display:none!important}
  #who-open{cursor:default;border-color:transparent;padding-left:4px}
  #who-open .caret,#me-badge{display:none!important}
  #log{padding:16px 24px}
}
</style>
</head>
<body>
<header class="top">
  <div><b>县河镇 · 民情直通车</b><span class="tag">沙盒</span></div>
  <p>沙盒是不接企业微信、钉钉的演练环境：您可以扮演任何村民、村干部或领导，发消息、点卡片，流程与正式使用时完全一样。</p>
</header>
<div class="layout">
  <aside id="who" aria-label="选择身份">
    <div class="who-head"><span>选择身份</span><button type="button" id="who-close" class="icon" aria-label="关闭">×</button></div>
    <div id="who-list"></div>
    <details class="add" id="add">
      <summary>＋ 新增村民</summary>
      <form id="add-form">
        <input id="nv-name" maxlength="64" placeholder="姓名，例如：赵大妈" autocomplete="off" required>
        <select id="nv-village" aria-label="所在村"><option value="">暂不选村（系统会询问）</option></select>
        <button type="submit" class="btn primary">新增并切换到此人</button>
      </form>
    </details>
  </aside>
  <div id="scrim" hidden></div>
  <main>
    <div class="bar">
      <button type="button" id="who-open" aria-controls="who">
        <b id="me-name">请选择身份</b><span class="dt" id="me-sub"></span><span class="badge" id="me-badge" title="其他身份的未读消息" hidden></span><span class="caret">切换 ▾</span>
      </button>
    </div>
    <div id="status" role="status" hidden></div>
    <div id="log" aria-live="polite"></div>
    <div id="composer">
      <div class="media-row" title="输入框里的文字会作为位置名称或文件名">
        <button type="button" data-type="image">＋图片</button>
        <button type="button" data-type="voice">＋语音</button>
        <button type="button" data-type="location">＋位置</button>
        <button type="button" data-type="file">＋文件</button>
      </div>
      <div class="send-row">
        <input id="text" maxlength="2000" placeholder="输入消息，回车发送" autocomplete="off" enterkeyhint="send">
        <button type="button" id="send" class="btn primary">发送</button>
      </div>
    </div>
  </main>
</div>
<script>
(function () {
  'use strict';
  var GROUPS = [['villager', '村民'], ['village_cadre', '村干部'], ['resident_cadre', '驻村干部'], ['township_office', '镇民情处理站'], ['county_centre', '县民情中心'], ['leader', '镇领导'], ['other', '其他']];
  var MEDIA = { image: '图片', voice: '语音', location: '位置', file: '文件', video: '视频' };
  var DEFAULT_DETAIL = { location: '村口', file: '情况说明.pdf' };
  var OVERLAP_MS = 3000;
  var KEY_AS = 'minqing.sandbox.as';
  var KEY_SEEN = 'minqing.sandbox.seen';
  var S = { ids: [], villages: [], me: null, gen: 0, cursor: 0, rows: new Map(), order: [], unread: {}, choice: new Map(), seen: load(KEY_SEEN, {}), draft: null };
  var $ = function (id) { return document.getElementById(id); };
  var fmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  function load(k, d) { try { var v = localStorage.getItem(k); return v ? JSON.parse(v) : d; } catch (e) { return d; } }
  function save(k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* private mode */ } }

  /** Builds an element; strings become text nodes, never markup. */
  function el(tag, props, kids) {
    var n = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') n.textContent = String(v);
      else if (k === 'cls') n.className = v;
      else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? '' : String(v));
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined && c !== false) n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }

  async function api(method, path, body) {
    var res = await fetch(path, { method: method, cache: 'no-store', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      var err = data && data.error;
      throw new Error(typeof err === 'string' ? err : (err && err.message) || ('HTTP ' + res.status));
    }
    return data;
  }

  var statusTimer = null;
  function status(text, isErr, sticky) {
    var s = $('status');
    clearTimeout(statusTimer);
    if (!text) { s.hidden = true; return; }
    s.textContent = text;
    s.className = isErr ? 'err' : '';
    s.hidden = false;
    if (!sticky) statusTimer = setTimeout(function () { s.hidden = true; }, 6000);
  }

  /* ---------- identities ---------- */

  function me() { return S.ids.find(function (i) { return i.id === S.me; }) || null; }
  function groupOf(i) {
    if (i.kind === 'villager') return 'villager';
    var roles = i.roles || [];
    for (var g = 1; g < GROUPS.length - 1; g++) if (roles.indexOf(GROUPS[g][0]) >= 0) return GROUPS[g][0];
    return 'other';
  }
  /** "李四 (关沟村党支部书记 · 今日值班)" → "关沟村党支部书记" */
  function detail(i) {
    var l = i.label || '';
    var head = i.name + ' (';
    if (l.indexOf(head) === 0 && l.slice(-1) === ')') l = l.slice(head.length, -1);
    else if (l === i.name) l = '';
    return l.replace(/ · 今日值班$/, '');
  }
  function badge(n, title) {
    return n > 0 ? el('span', { cls: 'badge', text: n > 99 ? '99+' : String(n), title: title || (n + ' 条未读') }) : null;
  }

  async function loadIdentities() {
    var r = await api('GET', '/sandbox/api/identities');
    S.ids = r.identities || [];
    S.villages = r.villages || [];
    renderWho();
    renderVillages();
    renderMe();
  }

  function renderWho() {
    var list = $('who-list');
    list.replaceChildren();
    GROUPS.forEach(function (g) {
      var members = S.ids.filter(function (i) { return groupOf(i) === g[0]; });
      if (!members.length) return;
      var sec = el('section', { cls: 'grp' }, [el('h3', { text: g[1] })]);
      members.forEach(function (i) {
        sec.appendChild(el('button', { type: 'button', cls: 'idn' + (i.id === S.me ? ' on' : ''), title: i.label, 'data-id': i.id, onclick: function () { setMe(i.id); } }, [
          el('span', { cls: 'nm', text: i.name }),
          i.onDuty ? el('span', { cls: 'duty', text: '今日值班' }) : null,
          badge(i.id === S.me ? 0 : S.unread[i.id] || 0),
          el('span', { cls: 'dt', text: detail(i) }),
        ]));
      });
      list.appendChild(sec);
    });
  }

  function renderVillages() {
    var sel = $('nv-village');
    var keep = sel.value;
    sel.replaceChildren(el('option', { value: '', text: '暂不选村（系统会询问）' }));
    S.villages.forEach(function (v) { sel.appendChild(el('option', { value: v.id, text: v.name })); });
    sel.value = keep;
  }

  function renderMe() {
    var i = me();
    $('me-name').textContent = i ? i.name : '请选择身份';
    $('me-sub').textContent = i ? detail(i) + (i.onDuty ? ' · 今日值班' : '') : '点这里选择要扮演的人';
    var others = 0;
    Object.keys(S.unread).forEach(function (id) { if (id !== S.me) others += S.unread[id]; });
    var b = $('me-badge');
    b.hidden = !others;
    b.textContent = others > 99 ? '99+' : String(others);
    $('text').disabled = !i;
    $('send').disabled = !i;
    document.querySelectorAll('.media-row button').forEach(function (x) { x.disabled = !i; });
  }

  function openWho(open) {
    $('who').classList.toggle('open', open);
    $('scrim').hidden = !open;
  }

  function setMe(id) {
    if (S.me !== id) {
      S.me = id;
      S.gen++;
      S.cursor = 0;
      S.rows.clear();
      S.order = [];
      S.draft = null;
      save(KEY_AS, id);
      $('log').replaceChildren(emptyNote());
      $('text').value = '';
    }
    openWho(false);
    renderWho();
    renderMe();
    poll().catch(function () { /* the loop reports */ });
  }

  function emptyNote() {
    var i = me();
    var kids;
    if (!i) {
      kids = [el('b', { text: '先选一个身份。' }), el('br'), '试试：选“袁志弟 (关沟村村民)”，发送“村口路灯坏了三天了”，会收到带编号的回执；再切换到关沟村标着“今日值班”的干部，点卡片上的“受理”。'];
    } else if (i.kind === 'villager') {
      kids = [el('b', { text: '您现在是村民' + i.name + '。' }), el('br'), '像在微信里一样发一句话反映问题，例如“村口路灯坏了三天了”，就会收到带编号的回执。'];
    } else {
      kids = [el('b', { text: '您现在是' + i.label + '。' }), el('br'), '群众反映的问题会以卡片发到这里；点“受理”即成为首问责任人，负责到底。'];
    }
    return el('div', { cls: 'empty', id: 'empty' }, kids);
  }

  /* ---------- messages ---------- */

  function renderMsg(m) {
    var mine = m.direction === 'in';
    var i = me();
    var p = m.payload || {};
    var content;
    if (m.kind === 'card') content = renderCard(p);
    else if (m.kind === 'text') content = el('div', { cls: 'bubble', text: p.text || '' });
    else if (m.kind === 'image' && !mine && typeof p.pngBase64 === 'string' && /^[A-Za-z0-9+\/=\s]+$/.test(p.pngBase64)) {
      content = el('div', { cls: 'bubble' }, [el('img', { src: 'data:image/png;base64,' + p.pngBase64, alt: p.caption || '图片' }), p.caption ? String(p.caption) : null]);
    } else {
      var what = MEDIA[m.kind] || '消息';
      content = el('div', { cls: 'bubble media', text: '〔' + what + '〕' + (p.text ? ' ' + p.text : '') });
    }
    var who = mine ? (i ? i.name : '我') : '民情直通车';
    return el('div', { cls: 'msg ' + (mine ? 'mine' : 'theirs'), 'data-id': m.id }, [
      el('div', { cls: 'av', text: who.slice(0, 1), 'aria-hidden': 'true' }),
      el('div', { cls: 'body' }, [el('div', { cls: 'meta', text: (mine ? '' : '民情直通车 · ') + (m.at ? fmt.format(new Date(m.at)) : '') }), content]),
    ]);
  }

  function renderCard(c) {
    var kids = [el('div', { cls: 'card-h', text: c.title || '' }), c.subtitle ? el('div', { cls: 'card-sub', text: c.subtitle }) : null];
    if (c.quote) kids.push(el('div', { cls: 'quote', text: c.quote }));
    if (c.fields && c.fields.length) {
      var dl = el('dl', { cls: 'fields' });
      c.fields.forEach(function (f) { dl.appendChild(el('dt', { text: f.label })); dl.appendChild(el('dd', { text: f.value })); });
      kids.push(dl);
    }
    if (c.closedNote) {
      kids.push(el('div', { cls: 'closed', text: '✓ ' + c.closedNote }));
    } else {
      var box = el('div');
      if (c.select && c.select.options && c.select.options.length) {
        // Like WeCom (selected_id = the first option): the first option is chosen until one picks another.
        var sel = el('select', { 'aria-label': c.select.title, onchange: function () { S.choice.set(c.taskId, sel.value); } });
        c.select.options.forEach(function (o) { sel.appendChild(el('option', { value: o.id, text: o.text })); });
        var chosen = S.choice.get(c.taskId);
        if (!chosen || !c.select.options.some(function (o) { return o.id === chosen; })) chosen = c.select.options[0].id;
        sel.value = chosen;
        S.choice.set(c.taskId, chosen);
        box.appendChild(el('label', { cls: 'sel' }, [c.select.title, sel]));
      }
      var btns = el('div', { cls: 'btns' });
      var note = el('div', { cls: 'pending' });
      (c.buttons || []).forEach(function (b) {
        btns.appendChild(el('button', { type: 'button', cls: 'btn ' + (b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : ''), text: b.label, onclick: function () { tap(c, b, box, note); } }));
      });
      box.appendChild(btns);
      box.appendChild(note);
      kids.push(box);
    }
    if (typeof c.url === 'string' && /^https?:\/\//i.test(c.url)) kids.push(el('a', { cls: 'link', href: c.url, target: '_blank', rel: 'noopener noreferrer', text: '查看详情 ›' }));
    return el('div', { cls: 'card' }, kids);
  }

  function upsert(m) {
    var json = JSON.stringify([m.direction, m.kind, m.payload]);
    var have = S.rows.get(m.id);
    if (have && have.json === json) return false;
    var node = renderMsg(m);
    if (have) {
      have.el.replaceWith(node);
      have.el = node;
      have.json = json;
      return true;
    }
    var log = $('log');
    var empty = $('empty');
    if (empty) empty.remove();
    var at = S.order.length;
    while (at > 0 && S.order[at - 1] > m.id) at--;
    var before = at < S.order.length ? S.rows.get(S.order[at]).el : null;
    S.order.splice(at, 0, m.id);
    S.rows.set(m.id, { el: node, json: json });
    log.insertBefore(node, before);
    return true;
  }

  async function poll() {
    if (!S.me) return;
    var gen = S.gen;
    var as = S.me;
    var since = Math.max(0, S.cursor - OVERLAP_MS);
    var r = await api('GET', '/sandbox/api/inbox?as=' + encodeURIComponent(as) + '&since=' + since);
    if (gen !== S.gen) return;
    var log = $('log');
    var first = S.order.length === 0;
    var nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    var changed = false;
    (r.messages || []).forEach(function (m) { if (upsert(m)) changed = true; });
    S.cursor = Math.max(S.cursor, r.now || 0);
    if (changed && (first || nearBottom)) log.scrollTop = log.scrollHeight;
    // A villager's reply may have changed their label (e.g. the village they just named).
    if (changed && !first && me() && me().kind === 'villager') refreshIdentitiesSoon();
    if (S.cursor > (S.seen[as] || 0)) {
      S.seen[as] = S.cursor;
      save(KEY_SEEN, S.seen);
    }
  }

  var idsTimer = null;
  function refreshIdentitiesSoon() {
    clearTimeout(idsTimer);
    idsTimer = setTimeout(function () { loadIdentities().catch(function () {}); }, 300);
  }

  async function pollUnread() {
    var r = await api('POST', '/sandbox/api/unread', { seen: S.seen });
    var next = r.unread || {};
    if (S.me) next[S.me] = 0;
    if (JSON.stringify(next) !== JSON.stringify(S.unread)) {
      S.unread = next;
      renderWho();
      renderMe();
    }
  }

  /* ---------- actions ---------- */

  async function tap(card, b, box, note) {
    var body = { as: S.me, taskId: card.taskId, action: b.key, clientId: newId() };
    var chosen = card.select ? S.choice.get(card.taskId) : '';
    if (card.select && chosen) { body.selected = {}; body.selected[card.select.key] = [chosen]; }
    box.querySelectorAll('button,select').forEach(function (x) { x.disabled = true; });
    note.textContent = '已提交“' + b.label + '”，处理中…';
    try {
      await api('POST', '/sandbox/api/tap', body);
      poll().catch(function () {});
    } catch (e) {
      status('操作没有成功：' + e.message + '。请重试。', true);
    }
    // The card is replaced when it changes; if it does not (e.g. the answer came as a message), let them tap again.
    setTimeout(function () {
      if (!box.isConnected) return;
      box.querySelectorAll('button,select').forEach(function (x) { x.disabled = false; });
      note.textContent = '';
    }, 3000);
  }

  /** Sends text or media; a failed send keeps its clientId, so a retry takes effect once. */
  async function send(type) {
    if (!S.me) return;
    var input = $('text');
    var text = input.value.trim();
    if (type === 'text' && !text) return;
    if (type !== 'text') text = text || DEFAULT_DETAIL[type] || '';
    var d = S.draft;
    var clientId = d && d.as === S.me && d.type === type && d.text === text ? d.clientId : newId();
    S.draft = { as: S.me, type: type, text: text, clientId: clientId };
    var body = { as: S.me, type: type, clientId: clientId };
    if (text && (type === 'text' || type === 'location' || type === 'file')) body.text = text;
    $('send').disabled = true;
    try {
      await api('POST', '/sandbox/api/send', body);
      S.draft = null;
      if (type === 'text' || input.value.trim() === text) input.value = '';
      status('');
      poll().catch(function () {});
      setTimeout(function () { poll().catch(function () {}); }, 500);
    } catch (e) {
      status('发送失败：' + e.message + '。请再点一次发送。', true, true);
    } finally {
      $('send').disabled = !S.me;
      input.focus();
    }
  }

  async function addVillager(ev) {
    ev.preventDefault();
    var name = $('nv-name').value.trim();
    if (!name) return;
    var body = { name: name };
    if ($('nv-village').value) body.village = $('nv-village').value;
    try {
      var r = await api('POST', '/sandbox/api/villagers', body);
      $('nv-name').value = '';
      $('add').open = false;
      await loadIdentities();
      setMe(r.id);
      status('已新增村民' + name + '，现在是此人的身份。', false);
    } catch (e) {
      status('新增村民没有成功：' + e.message, true);
    }
  }

  /* ---------- wiring ---------- */

  $('who-open').addEventListener('click', function () { if (!window.matchMedia('(min-width:800px)').matches) openWho(true); });
  $('who-close').addEventListener('click', function () { openWho(false); });
  $('scrim').addEventListener('click', function () { openWho(false); });
  $('send').addEventListener('click', function () { send('text'); });
  $('text').addEventListener('keydown', function (e) {
    // Enter while an input method is composing (拼音 candidates) picks the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); send('text'); }
  });
  document.querySelectorAll('.media-row button').forEach(function (b) {
    b.addEventListener('click', function () { send(b.getAttribute('data-type')); });
  });
  $('add-form').addEventListener('submit', addVillager);

  var offline = false;
  function online(ok) {
    if (ok && offline) status('');
    if (!ok && !offline) status('与服务器的连接中断，正在重试…', true, true);
    offline = !ok;
  }
  function loop(fn, ms) {
    var run = function () {
      fn().then(function () { online(true); }, function () { online(false); }).then(function () {
        setTimeout(run, document.hidden ? Math.max(ms, 5000) : ms);
      });
    };
    run();
  }

  $('log').replaceChildren(emptyNote());
  renderMe();
  loadIdentities().then(function () {
    var saved = load(KEY_AS, null);
    if (saved && S.ids.some(function (i) { return i.id === saved; })) setMe(saved);
    else {
      $('log').replaceChildren(emptyNote());
      if (!window.matchMedia('(min-width:800px)').matches) openWho(true);
    }
    loop(poll, 1000);
    loop(pollUnread, 3000);
    setInterval(function () { loadIdentities().catch(function () {}); }, 30000);
  }, function (e) {
    status('无法读取身份列表：' + e.message + '。请刷新页面。', true, true);
  });
})();
</script>
</body>
</html>
`;
