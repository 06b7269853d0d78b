import type { StatusMessage } from '../../src/protocol/webview';
import { app, h } from './dom';
import { progress } from './toolkit';

/**
 * "Running…" or why there is nothing (new) to draw, as a banner above the view: a view already
 * drawn from the previous run stays readable while the next one runs.
 */
export function showStatus(message: StatusMessage): void {
  clearStatus();
  app().prepend(
    h(
      'div',
      { class: `status ${message.state}`, attrs: { role: 'status', id: 'status' } },
      message.state === 'running' ? progress('Running') : undefined,
      h('p', { text: message.message }),
    ),
  );
  app().querySelector('.status.loading')?.remove();
}

export function clearStatus(): void {
  document.getElementById('status')?.remove();
}
