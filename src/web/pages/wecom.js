// @ts-check
/**
 * Inside WeCom (the server adds this page script only there, after @wecom/jssdk): `ww.register` with
 * the signatures of /h5/wecom/jsapi-signature, and the contact picker for 转办 and 督办
 * (`ww.selectEnterpriseContact`), offered to request.js as `window.minqingPickContact`.
 */
(function () {
  /**
   * @typedef {{ timestamp: number | string; nonceStr: string; signature: string }} SignatureData
   * @typedef {{ corpId: string; agentId: string; timestamp: number; nonceStr: string; signature: string; agentSignature: string }} Signed
   * @typedef {{
   *   register(o: { corpId: string; agentId?: string; jsApiList?: string[]; getConfigSignature?: (url: string) => Promise<SignatureData>; getAgentConfigSignature?: (url: string) => Promise<SignatureData> }): void;
   *   selectEnterpriseContact(o: { fromDepartmentId: number; mode: 'single' | 'multi'; type: string[] }): Promise<{ result?: { userList?: { id: string; name?: string }[] } }>;
   * }} WW
   */
  const g = /** @type {{ ww?: WW; minqingPickContact?: () => Promise<{ id: string; name: string } | null> }} */ (/** @type {unknown} */ (window));
  const ww = g.ww;
  if (!ww) return;
  /** @type {Map<string, Promise<Signed>>} */
  const signed = new Map();
  /** @param {string} url */
  const sign = (url) => {
    let p = signed.get(url);
    if (!p) {
      p = fetch(`/h5/wecom/jsapi-signature?url=${encodeURIComponent(url)}`, { credentials: 'same-origin' }).then((r) => {
        if (!r.ok) throw new Error(`jsapi-signature ${r.status}`);
        return /** @type {Promise<Signed>} */ (r.json());
      });
      signed.set(url, p);
    }
    return p;
  };
  const first = sign(location.href.split('#')[0]);
  void first
    .then((s) => {
      ww.register({
        corpId: s.corpId,
        agentId: s.agentId,
        jsApiList: ['selectEnterpriseContact'],
        getConfigSignature: (url) => sign(url).then((x) => ({ timestamp: x.timestamp, nonceStr: x.nonceStr, signature: x.signature })),
        getAgentConfigSignature: (url) => sign(url).then((x) => ({ timestamp: x.timestamp, nonceStr: x.nonceStr, signature: x.agentSignature })),
      });
    })
    .catch(() => undefined);
  g.minqingPickContact = async () => {
    const r = await ww.selectEnterpriseContact({ fromDepartmentId: -1, mode: 'single', type: ['user'] });
    const u = r?.result?.userList?.[0];
    return u ? { id: u.id, name: u.name ?? '' } : null;
  };
})();
