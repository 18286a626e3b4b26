// @ts-check
/**
 * The login page inside a platform's app that logs in with a one-time code from its own JS API
 * (DingTalk H5 免登: `dd.runtime.permission.requestAuthCode`): the code and this browser's login
 * state go to POST /h5/auth/<platform>; then back to the page first asked for.
 */
(function () {
  const status = document.getElementById('login-status');
  if (!status) return;
  const platform = status.getAttribute('data-platform') || '';
  const state = status.getAttribute('data-state') || '';
  const next = status.getAttribute('data-next') || '/h5/todo';
  /** @typedef {{ runtime?: { permission?: { requestAuthCode(o: { corpId: string }): Promise<{ code?: string; authCode?: string }> } }; ready?: (fn: () => void) => void }} DD */
  const dd = /** @type {{ dd?: DD }} */ (/** @type {unknown} */ (window)).dd;
  const corpId = new URLSearchParams(location.search).get('corpid') || status.getAttribute('data-corp-id') || '';
  /** @param {string} text */
  const say = (text) => {
    status.textContent = text;
  };
  const request = dd?.runtime?.permission?.requestAuthCode;
  if (!dd || !request) {
    say('请在钉钉里打开本页。');
    return;
  }
  const go = () =>
    request({ corpId })
      .then((r) => {
        const authCode = r.code || r.authCode || '';
        return fetch(`/h5/auth/${encodeURIComponent(platform)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ authCode, state }),
        });
      })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const j = /** @type {{ next?: string }} */ (await res.json());
        location.replace(j.next || next);
      })
      .catch(() => say('登录没有成功，请关闭本页后重新打开。'));
  if (dd.ready) dd.ready(() => void go());
  else void go();
})();
