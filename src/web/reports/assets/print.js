// @ts-check
// The printed pages' 打印 button (a script file, so no inline handler is needed).
'use strict';
document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));
