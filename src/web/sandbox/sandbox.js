// @ts-check
/**
 * The sandbox chat page (index.html): pick an identity, chat, tap cards. It talks only to the JSON
 * endpoints of bot/sandbox/adapter.ts and fetches nothing from elsewhere. Everything people typed is
 * put into the page with `textContent` / `createTextNode`, never as markup.
 *
 * Plain browser JS, type-checked: `npx tsc -p src/web`.
 */

/**
 * @typedef {{ id: string, name: string, label: string, kind: 'villager' | 'person', roles?: string[], village?: string | null, onDuty?: boolean }} Identity
 * @typedef {{ id: string, name: string }} Village
 * @typedef {{ id: string, text: string }} Option
 * @typedef {{ key: string, label: string, style?: string }} CardButton
 * @typedef {{ key: string, title: string, options: Option[], selected?: string }} CardSelect
 * @typedef {{ taskId: string, code?: string, title?: string, subtitle?: string, quote?: string, fields?: { label: string, value: string }[], buttons?: CardButton[], select?: CardSelect, closedNote?: string, url?: string }} Card
 * @typedef {{ id: number, direction: 'in' | 'out', kind: string, payload: any, at?: number }} Message
 * @typedef {{ as: string, type: string, text: string, clientId: string }} Draft
 * @typedef {Node | string | null | undefined | false} Kid
 */

(function () {
  'use strict';
  /** @type {[string, string][]} */
  const GROUPS = [['villager', '村民'], ['village_cadre', '村干部'], ['resident_cadre', '驻村干部'], ['township_office', '镇民情处理站'], ['county_centre', '县民情中心'], ['leader', '镇领导'], ['other', '其他']];
  /** @type {Record<string, string>} */
  const MEDIA = { image: '图片', voice: '语音', location: '位置', file: '文件', video: '视频' };
  /** @type {Record<string, string>} */
  const DEFAULT_DETAIL = { location: '村口', file: '情况说明.pdf' };
  const OVERLAP_MS = 3000;
  const KEY_AS = 'minqing.sandbox.as';
  const KEY_SEEN = 'minqing.sandbox.seen';
  const S = {
    /** @type {Identity[]} */ ids: [],
    /** @type {Village[]} */ villages: [],
    /** The township's name from the org file ('' until the identities are read). */
    township: '',
    /** @type {string | null} */ me: null,
    gen: 0,
    cursor: 0,
    /** @type {Map<number, { el: HTMLElement, json: string }>} */ rows: new Map(),
    /** @type {number[]} */ order: [],
    /** @type {Record<string, number>} */ unread: {},
    /** @type {Map<string, string>} */ choice: new Map(),
    /** @type {Record<string, number>} */ seen: load(KEY_SEEN, {}),
    /** @type {Draft | null} */ draft: null,
  };
  const fmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  /**
   * The element with this id, of this class.
   * @template {HTMLElement} T
   * @param {string} id
   * @param {{ new (): T, prototype: T }} type
   * @returns {T}
   */
  function byId(id, type) {
    const n = document.getElementById(id);
    if (!(n instanceof type)) throw new Error('sandbox page: #' + id + ' is missing');
    return n;
  }
  const ui = {
    title: byId('title', HTMLElement),
    who: byId('who', HTMLElement),
    whoList: byId('who-list', HTMLElement),
    whoOpen: byId('who-open', HTMLButtonElement),
    whoClose: byId('who-close', HTMLButtonElement),
    scrim: byId('scrim', HTMLElement),
    add: byId('add', HTMLDetailsElement),
    addForm: byId('add-form', HTMLFormElement),
    nvName: byId('nv-name', HTMLInputElement),
    nvVillage: byId('nv-village', HTMLSelectElement),
    meName: byId('me-name', HTMLElement),
    meSub: byId('me-sub', HTMLElement),
    meBadge: byId('me-badge', HTMLElement),
    openPages: byId('open-pages', HTMLAnchorElement),
    status: byId('status', HTMLElement),
    log: byId('log', HTMLElement),
    text: byId('text', HTMLInputElement),
    send: byId('send', HTMLButtonElement),
    media: /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.media-row button')),
  };

  /**
   * @template T
   * @param {string} k
   * @param {T} d
   * @returns {T}
   */
  function load(k, d) { try { const v = localStorage.getItem(k); return v ? JSON.parse(v) : d; } catch { return d; } }
  /** @param {string} k @param {unknown} v */
  function save(k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch { /* private mode */ } }

  /**
   * Builds an element; strings become text nodes, never markup.
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Record<string, unknown>} [props] `text`, `cls`, `on<event>` handlers, or attributes
   * @param {Kid[]} [kids]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, props, kids) {
    const n = document.createElement(tag);
    const p = props || {};
    Object.keys(p).forEach(function (k) {
      const v = p[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') n.textContent = String(v);
      else if (k === 'cls') n.className = String(v);
      else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
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

  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async function api(method, path, body) {
    const res = await fetch(path, { method: method, cache: 'no-store', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    let data;
    try { data = await res.json(); } catch { data = null; }
    if (!res.ok) {
      const err = data && data.error;
      throw new Error(typeof err === 'string' ? err : (err && err.message) || ('HTTP ' + res.status));
    }
    return data;
  }

  /** @param {unknown} e */
  function messageOf(e) { return e instanceof Error ? e.message : String(e); }

  /** @type {number | undefined} */
  let statusTimer;
  /**
   * @param {string} text
   * @param {boolean} [isErr]
   * @param {boolean} [sticky]
   */
  function status(text, isErr, sticky) {
    const s = ui.status;
    clearTimeout(statusTimer);
    if (!text) { s.hidden = true; return; }
    s.textContent = text;
    s.className = isErr ? 'err' : '';
    s.hidden = false;
    if (!sticky) statusTimer = setTimeout(function () { s.hidden = true; }, 6000);
  }

  /* ---------- identities ---------- */

  /** @returns {Identity | null} */
  function me() { return S.ids.find(function (i) { return i.id === S.me; }) || null; }
  /** @param {Identity} i */
  function groupOf(i) {
    if (i.kind === 'villager') return 'villager';
    const roles = i.roles || [];
    for (let g = 1; g < GROUPS.length - 1; g++) if (roles.indexOf(GROUPS[g][0]) >= 0) return GROUPS[g][0];
    return 'other';
  }
  /** "李四 (关沟村党支部书记 · 今日值班)" → "关沟村党支部书记" @param {Identity} i */
  function detail(i) {
    let l = i.label || '';
    const head = i.name + ' (';
    if (l.indexOf(head) === 0 && l.slice(-1) === ')') l = l.slice(head.length, -1);
    else if (l === i.name) l = '';
    return l.replace(/ · 今日值班$/, '');
  }
  /** @param {number} n @param {string} [title] */
  function badge(n, title) {
    return n > 0 ? el('span', { cls: 'badge', text: n > 99 ? '99+' : String(n), title: title || (n + ' 条未读') }) : null;
  }

  /** The header and the tab name: "县河镇 · 民情直通车", from the org file. */
  function renderTownship() {
    const name = S.township ? S.township + ' · 民情直通车' : '民情直通车';
    ui.title.textContent = name;
    document.title = name + ' · 沙盒';
  }

  async function loadIdentities() {
    const r = await api('GET', '/sandbox/api/identities');
    S.ids = r.identities || [];
    S.villages = r.villages || [];
    S.township = typeof r.township === 'string' ? r.township : '';
    renderTownship();
    renderWho();
    renderVillages();
    renderMe();
  }

  function renderWho() {
    const list = ui.whoList;
    list.replaceChildren();
    GROUPS.forEach(function (g) {
      const members = S.ids.filter(function (i) { return groupOf(i) === g[0]; });
      if (!members.length) return;
      const sec = el('section', { cls: 'grp' }, [el('h3', { text: g[1] })]);
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
    const sel = ui.nvVillage;
    const keep = sel.value;
    sel.replaceChildren(el('option', { value: '', text: '暂不选村（系统会询问）' }));
    S.villages.forEach(function (v) { sel.appendChild(el('option', { value: v.id, text: v.name })); });
    sel.value = keep;
  }

  function renderMe() {
    const i = me();
    ui.meName.textContent = i ? i.name : '请选择身份';
    ui.meSub.textContent = i ? detail(i) + (i.onDuty ? ' · 今日值班' : '') : '点这里选择要扮演的人';
    let others = 0;
    Object.keys(S.unread).forEach(function (id) { if (id !== S.me) others += S.unread[id]; });
    const b = ui.meBadge;
    b.hidden = !others;
    b.textContent = others > 99 ? '99+' : String(others);
    // The pages (/h5/) as this person: 我的待办 for a cadre, 我反映的事项 for a villager.
    ui.openPages.hidden = !i;
    if (i) ui.openPages.href = asMe(i.kind === 'villager' ? '/h5/mine' : '/h5/todo');
    ui.text.disabled = !i;
    ui.send.disabled = !i;
    ui.media.forEach(function (x) { x.disabled = !i; });
  }

  /** @param {boolean} open */
  function openWho(open) {
    ui.who.classList.toggle('open', open);
    ui.scrim.hidden = !open;
  }

  /** @param {string} id */
  function setMe(id) {
    if (S.me !== id) {
      S.me = id;
      S.gen++;
      S.cursor = 0;
      S.rows.clear();
      S.order = [];
      S.draft = null;
      save(KEY_AS, id);
      ui.log.replaceChildren(emptyNote());
      ui.text.value = '';
    }
    openWho(false);
    renderWho();
    renderMe();
    poll().catch(function () { /* the loop reports */ });
  }

  function emptyNote() {
    const i = me();
    /** @type {Kid[]} */
    let kids;
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

  /** @param {Message} m */
  function renderMsg(m) {
    const mine = m.direction === 'in';
    const i = me();
    const p = m.payload || {};
    /** @type {HTMLElement} */
    let content;
    if (m.kind === 'card') content = renderCard(p);
    else if (m.kind === 'text') content = el('div', { cls: 'bubble', text: p.text || '' });
    else if (m.kind === 'image' && !mine && typeof p.pngBase64 === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(p.pngBase64)) {
      content = el('div', { cls: 'bubble' }, [el('img', { src: 'data:image/png;base64,' + p.pngBase64, alt: p.caption || '图片' }), p.caption ? String(p.caption) : null]);
    } else {
      const what = MEDIA[m.kind] || '消息';
      content = el('div', { cls: 'bubble media', text: '〔' + what + '〕' + (p.text ? ' ' + p.text : '') });
    }
    const who = mine ? (i ? i.name : '我') : '民情直通车';
    return el('div', { cls: 'msg ' + (mine ? 'mine' : 'theirs'), 'data-id': m.id }, [
      el('div', { cls: 'av', text: who.slice(0, 1), 'aria-hidden': 'true' }),
      el('div', { cls: 'body' }, [el('div', { cls: 'meta', text: (mine ? '' : '民情直通车 · ') + (m.at ? fmt.format(new Date(m.at)) : '') }), content]),
    ]);
  }

  /**
   * A page of the app (/h5/…) opened as the identity chosen here, through the sandbox login.
   * @param {string} path
   */
  function asMe(path) {
    return '/h5/auth/sandbox?as=' + encodeURIComponent(S.me || '') + '&next=' + encodeURIComponent(path);
  }

  /** @param {Card} c */
  function renderCard(c) {
    /** @type {Kid[]} */
    const kids = [el('div', { cls: 'card-h', text: c.title || '' }), c.subtitle ? el('div', { cls: 'card-sub', text: c.subtitle }) : null];
    if (c.quote) kids.push(el('div', { cls: 'quote', text: c.quote }));
    if (c.fields && c.fields.length) {
      const dl = el('dl', { cls: 'fields' });
      c.fields.forEach(function (f) { dl.appendChild(el('dt', { text: f.label })); dl.appendChild(el('dd', { text: f.value })); });
      kids.push(dl);
    }
    if (c.closedNote) {
      kids.push(el('div', { cls: 'closed', text: '✓ ' + c.closedNote }));
    } else {
      const box = el('div');
      const select = c.select;
      if (select && select.options && select.options.length) {
        // Like WeCom (selected_id): the card's preselected option (else the first) is chosen until one picks another.
        const sel = el('select', { 'aria-label': select.title, onchange: function () { S.choice.set(c.taskId, sel.value); } });
        select.options.forEach(function (o) { sel.appendChild(el('option', { value: o.id, text: o.text })); });
        let chosen = S.choice.get(c.taskId);
        if (!chosen || !select.options.some(function (o) { return o.id === chosen; })) {
          const pre = select.selected;
          chosen = pre && select.options.some(function (o) { return o.id === pre; }) ? pre : select.options[0].id;
        }
        sel.value = chosen;
        S.choice.set(c.taskId, chosen);
        box.appendChild(el('label', { cls: 'sel' }, [select.title, sel]));
      }
      const btns = el('div', { cls: 'btns' });
      const note = el('div', { cls: 'pending' });
      (c.buttons || []).forEach(function (b) {
        btns.appendChild(el('button', { type: 'button', cls: 'btn ' + (b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : ''), text: b.label, onclick: function () { tap(c, b, box, note); } }));
      });
      box.appendChild(btns);
      box.appendChild(note);
      kids.push(box);
    }
    if (typeof c.url === 'string' && /^https?:\/\//i.test(c.url)) {
      // The card's 详情: the same page, opened as whoever is chosen here (the sandbox has no platform login).
      const u = new URL(c.url);
      const href = u.pathname.startsWith('/h5/') ? asMe(u.pathname + u.search) : c.url;
      kids.push(el('a', { cls: 'link', href: href, target: '_blank', rel: 'noopener noreferrer', text: '详情 ›' }));
    }
    return el('div', { cls: 'card' }, kids);
  }

  /** @param {Message} m @returns {boolean} whether the page changed */
  function upsert(m) {
    const json = JSON.stringify([m.direction, m.kind, m.payload]);
    const have = S.rows.get(m.id);
    if (have && have.json === json) return false;
    const node = renderMsg(m);
    if (have) {
      have.el.replaceWith(node);
      have.el = node;
      have.json = json;
      return true;
    }
    const log = ui.log;
    const empty = document.getElementById('empty');
    if (empty) empty.remove();
    let at = S.order.length;
    while (at > 0 && S.order[at - 1] > m.id) at--;
    const next = at < S.order.length ? S.rows.get(S.order[at]) : undefined;
    S.order.splice(at, 0, m.id);
    S.rows.set(m.id, { el: node, json: json });
    log.insertBefore(node, next ? next.el : null);
    return true;
  }

  async function poll() {
    if (!S.me) return;
    const gen = S.gen;
    const as = S.me;
    const since = Math.max(0, S.cursor - OVERLAP_MS);
    const r = await api('GET', '/sandbox/api/inbox?as=' + encodeURIComponent(as) + '&since=' + since);
    if (gen !== S.gen) return;
    const log = ui.log;
    const first = S.order.length === 0;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    let changed = false;
    /** @type {Message[]} */ (r.messages || []).forEach(function (m) { if (upsert(m)) changed = true; });
    S.cursor = Math.max(S.cursor, r.now || 0);
    if (changed && (first || nearBottom)) log.scrollTop = log.scrollHeight;
    // A villager's reply may have changed their label (e.g. the village they just named).
    const i = me();
    if (changed && !first && i && i.kind === 'villager') refreshIdentitiesSoon();
    if (S.cursor > (S.seen[as] || 0)) {
      S.seen[as] = S.cursor;
      save(KEY_SEEN, S.seen);
    }
  }

  /** @type {number | undefined} */
  let idsTimer;
  function refreshIdentitiesSoon() {
    clearTimeout(idsTimer);
    idsTimer = setTimeout(function () { loadIdentities().catch(function () {}); }, 300);
  }

  async function pollUnread() {
    const r = await api('POST', '/sandbox/api/unread', { seen: S.seen });
    /** @type {Record<string, number>} */
    const next = r.unread || {};
    if (S.me) next[S.me] = 0;
    if (JSON.stringify(next) !== JSON.stringify(S.unread)) {
      S.unread = next;
      renderWho();
      renderMe();
    }
  }

  /* ---------- actions ---------- */

  /**
   * @param {Card} card
   * @param {CardButton} b
   * @param {HTMLElement} box the card's buttons (and select), disabled while the tap is on its way
   * @param {HTMLElement} note
   */
  async function tap(card, b, box, note) {
    /** @type {{ as: string | null, taskId: string, action: string, clientId: string, selected?: Record<string, string[]> }} */
    const body = { as: S.me, taskId: card.taskId, action: b.key, clientId: newId() };
    const chosen = card.select ? S.choice.get(card.taskId) : '';
    if (card.select && chosen) { body.selected = {}; body.selected[card.select.key] = [chosen]; }
    const controls = /** @type {NodeListOf<HTMLButtonElement | HTMLSelectElement>} */ (box.querySelectorAll('button,select'));
    controls.forEach(function (x) { x.disabled = true; });
    note.textContent = '已提交“' + b.label + '”，处理中…';
    try {
      await api('POST', '/sandbox/api/tap', body);
      poll().catch(function () {});
    } catch (e) {
      status('操作没有成功：' + messageOf(e) + '。请重试。', true);
    }
    // The card is replaced when it changes; if it does not (e.g. the answer came as a message), let them tap again.
    setTimeout(function () {
      if (!box.isConnected) return;
      controls.forEach(function (x) { x.disabled = false; });
      note.textContent = '';
    }, 3000);
  }

  /** Sends text or media; a failed send keeps its clientId, so a retry takes effect once. @param {string} type */
  async function send(type) {
    if (!S.me) return;
    const input = ui.text;
    let text = input.value.trim();
    if (type === 'text' && !text) return;
    if (type !== 'text') text = text || DEFAULT_DETAIL[type] || '';
    const d = S.draft;
    const clientId = d && d.as === S.me && d.type === type && d.text === text ? d.clientId : newId();
    S.draft = { as: S.me, type: type, text: text, clientId: clientId };
    /** @type {{ as: string, type: string, clientId: string, text?: string }} */
    const body = { as: S.me, type: type, clientId: clientId };
    if (text && (type === 'text' || type === 'location' || type === 'file')) body.text = text;
    ui.send.disabled = true;
    try {
      await api('POST', '/sandbox/api/send', body);
      S.draft = null;
      if (type === 'text' || input.value.trim() === text) input.value = '';
      status('');
      poll().catch(function () {});
      setTimeout(function () { poll().catch(function () {}); }, 500);
    } catch (e) {
      status('发送失败：' + messageOf(e) + '。请再点一次发送。', true, true);
    } finally {
      ui.send.disabled = !S.me;
      input.focus();
    }
  }

  /** @param {SubmitEvent} ev */
  async function addVillager(ev) {
    ev.preventDefault();
    const name = ui.nvName.value.trim();
    if (!name) return;
    /** @type {{ name: string, village?: string }} */
    const body = { name: name };
    if (ui.nvVillage.value) body.village = ui.nvVillage.value;
    try {
      const r = await api('POST', '/sandbox/api/villagers', body);
      ui.nvName.value = '';
      ui.add.open = false;
      await loadIdentities();
      setMe(r.id);
      status('已新增村民' + name + '，现在是此人的身份。', false);
    } catch (e) {
      status('新增村民没有成功：' + messageOf(e), true);
    }
  }

  /* ---------- wiring ---------- */

  ui.whoOpen.addEventListener('click', function () { if (!window.matchMedia('(min-width:800px)').matches) openWho(true); });
  ui.whoClose.addEventListener('click', function () { openWho(false); });
  ui.scrim.addEventListener('click', function () { openWho(false); });
  ui.send.addEventListener('click', function () { send('text'); });
  ui.text.addEventListener('keydown', function (e) {
    // Enter while an input method is composing (拼音 candidates) picks the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); send('text'); }
  });
  ui.media.forEach(function (b) {
    b.addEventListener('click', function () { send(b.getAttribute('data-type') || 'text'); });
  });
  ui.addForm.addEventListener('submit', addVillager);

  let offline = false;
  /** @param {boolean} ok */
  function online(ok) {
    if (ok && offline) status('');
    if (!ok && !offline) status('与服务器的连接中断，正在重试…', true, true);
    offline = !ok;
  }
  /** @param {() => Promise<unknown>} fn @param {number} ms */
  function loop(fn, ms) {
    const run = function () {
      fn().then(function () { online(true); }, function () { online(false); }).then(function () {
        setTimeout(run, document.hidden ? Math.max(ms, 5000) : ms);
      });
    };
    run();
  }

  ui.log.replaceChildren(emptyNote());
  renderMe();
  loadIdentities().then(function () {
    const saved = load(KEY_AS, /** @type {string | null} */ (null));
    if (saved && S.ids.some(function (i) { return i.id === saved; })) setMe(saved);
    else {
      ui.log.replaceChildren(emptyNote());
      if (!window.matchMedia('(min-width:800px)').matches) openWho(true);
    }
    loop(poll, 1000);
    loop(pollUnread, 3000);
    setInterval(function () { loadIdentities().catch(function () {}); }, 30000);
  }, function (e) {
    status('无法读取身份列表：' + messageOf(e) + '。请刷新页面。', true, true);
  });
})();
