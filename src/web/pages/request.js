// @ts-check
/**
 * The request page (src/web/request-page.ts): a search box over the people list (转办, 督办), the
 * platform's contact picker where the page has one (WeCom: `minqingPickContact`, set by wecom.js),
 * and the 签字 pad — a finger on a canvas, saved as a PNG with the form.
 */
(function () {
  /** @param {HTMLInputElement} input */
  function filterPeople(input) {
    const box = input.parentElement?.querySelector('.picker');
    if (!box) return;
    const q = input.value.trim();
    for (const label of Array.from(box.querySelectorAll('label'))) {
      const name = label.getAttribute('data-name') || '';
      /** @type {HTMLElement} */ (label).hidden = q !== '' && !name.includes(q);
    }
  }

  for (const input of Array.from(document.querySelectorAll('input.picker-search'))) {
    const el = /** @type {HTMLInputElement} */ (input);
    el.addEventListener('input', () => filterPeople(el));
  }

  // The platform's own contact picker (inside WeCom): fills the hidden `pick` field with a user id.
  const w = /** @type {{ minqingPickContact?: () => Promise<{ id: string; name: string } | null> }} */ (/** @type {unknown} */ (window));
  for (const b of Array.from(document.querySelectorAll('button.contact-pick'))) {
    const button = /** @type {HTMLButtonElement} */ (b);
    const form = button.closest('form');
    if (!form || !w.minqingPickContact) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      const pickContact = w.minqingPickContact;
      if (!pickContact) return;
      const picked = await pickContact().catch(() => null);
      if (!picked) return;
      const hidden = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=pick]'));
      const shown = /** @type {HTMLElement | null} */ (form.querySelector('.picked'));
      if (hidden) hidden.value = picked.id;
      for (const r of Array.from(form.querySelectorAll('input[type=radio]'))) /** @type {HTMLInputElement} */ (r).checked = false;
      if (shown) {
        shown.textContent = `已选择：${picked.name || picked.id}`;
        shown.hidden = false;
      }
    });
  }

  // 签字: strokes of a finger (or a mouse) on the canvas; the PNG goes with the form.
  const form = /** @type {HTMLFormElement | null} */ (document.querySelector('form.sign-form'));
  const canvas = /** @type {HTMLCanvasElement | null} */ (form?.querySelector('canvas.pad') ?? null);
  const ctx = canvas?.getContext('2d');
  if (!form || !canvas || !ctx) return;
  const msg = /** @type {HTMLElement | null} */ (form.querySelector('.sign-msg'));
  let drawn = false;
  let last = /** @type {{ x: number; y: number } | null} */ (null);
  ctx.lineWidth = 4;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#111';
  /** @param {PointerEvent} e */
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height };
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    ctx.beginPath();
    ctx.arc(last.x, last.y, 1.5, 0, Math.PI * 2);
    ctx.fill();
    drawn = true;
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    e.preventDefault();
  });
  const end = () => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  form.querySelector('.sign-clear')?.addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
  });
  form.addEventListener('submit', (e) => {
    if (!drawn) {
      e.preventDefault();
      if (msg) msg.textContent = '还没有签字，请在框内签名。';
      return;
    }
    const png = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=png]'));
    if (png) png.value = canvas.toDataURL('image/png');
  });
})();
