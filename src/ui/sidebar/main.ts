// The PT's sidebar: find, create, edit, present and advance proposals. Data loads after the page
// shows; every call goes through the typed client.
import { callServer } from '../client';
import { clear, h } from '../dom';
import type { App } from './app';
import { showCreate } from './views/create';
import { showDetail } from './views/detail/index';
import { showSearch } from './views/search';

const root = document.getElementById('app')!;

function fail(message: string) {
  clear(root, h('p', { class: 'error', role: 'alert' }, message));
}

async function start() {
  let r: Awaited<ReturnType<typeof callServer<'apiSettings'>>>;
  try {
    r = await callServer('apiSettings');
  } catch (e) {
    return fail(`読み込めませんでした: ${(e as Error).message}`);
  }
  if (!r.ok) return fail(r.message);
  const noticeBox = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'body' });
  const app: App = {
    settings: r.data,
    root: body,
    go(view) {
      noticeBox.textContent = '';
      noticeBox.className = 'notice';
      if (view === 'search') showSearch(app);
      else if (view === 'create') showCreate(app);
      else {
        showDetail(app, view.id);
        if (view.notice) app.notice(view.notice, view.kind);
      }
    },
    notice(text, kind = 'ok') {
      noticeBox.textContent = text;
      noticeBox.className = `notice ${kind}`;
    },
  };
  clear(root, h('p', { class: 'who' }, `${r.data.email}(${r.data.role})`), noticeBox, body);
  app.go('search');
}

start();
