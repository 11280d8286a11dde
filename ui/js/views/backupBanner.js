// The window's line about backups, above the list: an unverified newest backup or an
// unreachable second folder (a warning, until the next backup fixes it), or the monthly
// reminder with "Done", "Remind me later" and "Don't remind me".

import { $, h, clear, show } from './dom.js';
import { bannerFor } from '../backupStatusModel.js';

/**
 * @param {{answer: (a: string) => Promise<object>, openSettings: () => void,
 *          fail: (err: unknown) => void}} handlers
 */
export function createBackupBanner(handlers) {
  const banner = $('#backup-banner');
  const text = $('#backup-banner-text');
  const actions = $('#backup-banner-actions');

  function button(label, onClick, primary = false) {
    const b = h('button', {
      type: 'button', className: primary ? 'btn btn-small btn-primary' : 'btn btn-small btn-quiet', text: label,
    });
    b.addEventListener('click', onClick);
    return b;
  }

  function answer(a) {
    handlers.answer(a).then(render, handlers.fail);
  }

  function render(status) {
    const line = bannerFor(status);
    clear(actions);
    show(banner, !!line);
    if (!line) return;
    banner.dataset.kind = line.kind;
    text.textContent = line.text;
    if (line.kind === 'reminder') {
      actions.append(
        button('Done', () => answer('done'), true),
        button('Remind me later', () => answer('later')),
        button('Don’t remind me', () => answer('off')),
      );
    } else {
      actions.append(button('Settings → Backups', handlers.openSettings));
    }
  }

  return {
    render,
    hide: () => { show(banner, false); clear(actions); },
  };
}
