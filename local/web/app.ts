// The offline spreadsheet page (not part of the add-on): renders the workbook like Sheets and sends
// people's edits, pastes and menu clicks to the runtime, which fires the add-on's triggers.

type Cell = { d: string; n?: string; v?: string[]; s?: Record<string, unknown>; num?: boolean } | null;
type SheetData = {
  name: string;
  frozenRows: number;
  widths: Record<string, number>;
  cells: Cell[][];
  charts: ChartView[];
  protected: boolean;
};
/** An embedded chart as local/serve.ts reads it from its recorded ranges. */
type ChartView = {
  type: string;
  title: string;
  stacked: boolean;
  position: { row: number; col: number; offsetX: number; offsetY: number };
  categories: string[];
  series: { name: string; values: number[] }[];
};
type UiEvent = { kind: string; [k: string]: unknown };

declare global {
  interface Window {
    USERS: { email: string; label: string }[];
    MENU: { caption: string; fn: string }[];
  }
}

const state = {
  sheets: [] as SheetData[],
  active: '課題一覧',
  user: window.USERS[1]!.email,
  selected: null as { r: number; c: number } | null,
  sidebar: false,
};

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};

const colName = (n: number): string =>
  (n > 26 ? colName(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

/**
 * A call from the grid or the menu. Whatever goes wrong (the server refused, crashed or could not
 * be reached) is shown to the person, in Japanese, as Sheets shows a script's error.
 */
async function post(path: string, body: unknown): Promise<{ ui?: UiEvent[]; error?: string }> {
  let res: { ui?: UiEvent[]; error?: string };
  try {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    res =
      r.ok || r.headers.get('content-type')?.includes('json')
        ? await r.json()
        : { error: `HTTP ${r.status}` };
  } catch (e) {
    res = { error: `サーバーに接続できませんでした。ページを開き直してください(${(e as Error).message})。` };
  }
  if (res.error) alertBox('エラー', res.error);
  return res;
}

let refreshes = 0;

/** Re-reads the workbook; a reply overtaken by a later refresh is dropped. */
async function refresh() {
  const mine = ++refreshes;
  const r = await fetch('/api/workbook').then((x) => x.json());
  if (mine !== refreshes) return;
  state.sheets = r.sheets;
  if (!state.sheets.some((s) => s.name === state.active)) state.active = state.sheets[0]?.name ?? '';
  render();
}

function handleUi(events: UiEvent[] = []) {
  for (const e of events) {
    if (e.kind === 'toast') toast(String(e.message), String(e.title ?? ''));
    if (e.kind === 'alert') alertBox(String(e.title), String(e.message));
    if (e.kind === 'sidebar') openSidebar();
    if (e.kind === 'dialog') openDialog(String(e.title), 'Import');
    if (e.kind === 'select' && typeof e.sheet === 'string') {
      state.active = e.sheet;
      const m = /^([A-Z]+)(\d+)/.exec(String(e.range ?? ''));
      if (m) state.selected = { r: Number(m[2]) - 1, c: 0 };
    }
  }
}

function toast(message: string, title: string) {
  const t = el('div', { class: 'toast', role: 'status' }, el('strong', {}, title), ' ', message);
  document.getElementById('toasts')!.append(t);
  setTimeout(() => t.remove(), 10000);
}

function alertBox(title: string, message: string) {
  const ok = el('button', { type: 'button' }, 'OK');
  const box = el(
    'div',
    { class: 'modal', role: 'alertdialog', 'aria-label': title },
    el('div', { class: 'dialog' }, el('h2', {}, title), el('p', {}, message), ok),
  );
  ok.addEventListener('click', () => box.remove());
  document.body.append(box);
  ok.focus();
}

/** A modal dialog (showModalDialog) with the add-on's page in an iframe, as Sheets shows it. */
function openDialog(title: string, name: string) {
  const close = el('button', { type: 'button', class: 'close', 'aria-label': '閉じる' }, '×');
  const box = el(
    'div',
    { class: 'modal', role: 'dialog', 'aria-label': title },
    el(
      'div',
      { class: 'dialog wide' },
      el('div', { class: 'dialog-head' }, el('h2', {}, title), close),
      el('iframe', {
        src: `/dialog?name=${name}&user=${encodeURIComponent(state.user)}`,
        title,
        id: 'dialog-frame',
      }),
    ),
  );
  close.addEventListener('click', () => {
    box.remove();
    refresh();
  });
  document.body.append(box);
}

function openSidebar() {
  state.sidebar = true;
  syncSidebar();
}

async function commitEdit(r: number, c: number, value: string) {
  const res = await post('/api/edit', {
    ref: `${state.active}!${colName(c + 1)}${r + 1}`,
    values: [[value]],
    user: state.user,
  });
  handleUi(res.ui);
  await refresh();
}

function startEdit(td: HTMLTableCellElement, r: number, c: number, initial?: string) {
  const cell = state.sheets.find((s) => s.name === state.active)?.cells[r]?.[c];
  const input = el('input', {
    class: 'cell-editor',
    'aria-label': `${colName(c + 1)}${r + 1}`,
  }) as HTMLInputElement;
  input.value = initial ?? cell?.d ?? '';
  td.textContent = '';
  td.append(input);
  input.focus();
  let done = false;
  input.addEventListener('keydown', (e) => {
    e.stopPropagation(); // the cell's own Enter handler must not open a second editor
    if (e.isComposing || e.keyCode === 229) return; // a Japanese IME is still composing
    if (e.key === 'Enter') {
      done = true;
      commitEdit(r, c, input.value);
    }
    if (e.key === 'Escape') {
      done = true;
      render();
    }
  });
  input.addEventListener('blur', () => {
    if (!done) commitEdit(r, c, input.value);
  });
}

function renderGrid(sheet: SheetData): HTMLElement {
  const table = el('table', { class: 'grid', role: 'grid', 'aria-label': sheet.name });
  const cols = Math.max(...sheet.cells.map((r) => r.length), 1) + 1;
  const widths = Array.from({ length: cols }, (_, c) => sheet.widths[c + 1] ?? 100);
  table.style.width = `${widths.reduce((a, b) => a + b, 46)}px`;
  table.append(
    el(
      'colgroup',
      {},
      el('col', { style: 'width:46px' }),
      ...widths.map((w) => el('col', { style: `width:${w}px` })),
    ),
  );
  const head = el('tr', {}, el('th', { class: 'corner' }));
  for (let c = 0; c < cols; c++) head.append(el('th', {}, colName(c + 1)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const rows = sheet.cells.length + 3;
  for (let r = 0; r < rows; r++) {
    const tr = el('tr', r < sheet.frozenRows ? { class: 'frozen' } : {}, el('th', {}, String(r + 1)));
    for (let c = 0; c < cols; c++) {
      const cell = sheet.cells[r]?.[c] ?? null;
      const td = el('td', { 'data-cell': `${colName(c + 1)}${r + 1}` }, cell?.d ?? '');
      const s = cell?.s ?? {};
      if (s.bold) td.classList.add('bold');
      if (s.background) td.style.background = String(s.background);
      if (s.wrap) td.classList.add('wrap');
      if (cell?.num || s.hAlign === 'right') td.classList.add('num');
      if (cell && cell.d.length > 12 && !cell.n) td.title = cell.d;
      if (cell?.n) {
        td.classList.add('has-note');
        td.title = cell.n;
        td.setAttribute('data-note', cell.n);
      }
      if (cell?.v) td.classList.add('has-list');
      if (state.selected?.r === r && state.selected.c === c) td.classList.add('selected');
      else if (state.selected?.r === r && sheet.name === '課題一覧') td.classList.add('row-selected');
      td.tabIndex = -1;
      td.addEventListener('click', () => {
        state.selected = { r, c };
        for (const x of table.querySelectorAll('.selected')) x.classList.remove('selected');
        td.classList.add('selected');
        td.focus();
      });
      td.addEventListener('dblclick', () => startEdit(td, r, c));
      td.addEventListener('keydown', (e) => {
        if (e.isComposing || e.target !== td) return;
        if (e.key === 'Enter' || e.key === 'F2') startEdit(td, r, c);
        else if (e.key === 'Delete' || e.key === 'Backspace') commitEdit(r, c, '');
      });
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  table.addEventListener('paste', async (e) => {
    if (!state.selected) return;
    e.preventDefault();
    const text = e.clipboardData?.getData('text/plain') ?? '';
    const values = text
      .replace(/\r\n/g, '\n')
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => l.split('\t'));
    const { r, c } = state.selected;
    const res = await post('/api/edit', {
      ref: `${sheet.name}!${colName(c + 1)}${r + 1}`,
      values,
      user: state.user,
    });
    handleUi(res.ui);
    await refresh();
  });
  return table;
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
};
/** Google Charts' default series colours, in order. */
const PALETTE = ['#4285f4', '#ea4335', '#fbbc04', '#34a853', '#ff6d01', '#46bdc6', '#7baaf7', '#f07b72'];

/**
 * A bar chart as Sheets draws a BAR chart (horizontal bars, one per category; stacked when
 * isStacked, else side by side), with its title, a value axis and a legend.
 */
function renderChart(chart: ChartView): SVGSVGElement {
  const W = 520;
  const labelW = 140;
  const plotW = W - labelW - 24;
  const barH = 28;
  const gap = 16;
  const perCategory = chart.stacked ? 1 : Math.max(chart.series.length, 1);
  const top = chart.title ? 40 : 16;
  const plotH = chart.categories.length * (perCategory * barH + gap) + gap;
  const legendTop = top + plotH + 28;
  const H = legendTop + chart.series.length * 20 + 8;
  const totals = chart.categories.map((_, i) =>
    chart.stacked
      ? chart.series.reduce((sum, s) => sum + Math.max(s.values[i] ?? 0, 0), 0)
      : Math.max(0, ...chart.series.map((s) => s.values[i] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  const step =
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((x) => max / x <= 5) ?? 10 ** Math.ceil(Math.log10(max));
  const axisMax = Math.ceil(max / step) * step;
  const x = (v: number) => labelW + (v / axisMax) * plotW;
  const root = svg('svg', {
    class: 'chart',
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': chart.title || 'グラフ',
  }) as SVGSVGElement;
  root.append(svg('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff', stroke: '#dadce0' }));
  if (chart.title) root.append(svg('text', { x: 16, y: 26, class: 'chart-title' }, chart.title));
  for (let v = 0; v <= axisMax; v += step) {
    root.append(
      svg('line', { x1: x(v), x2: x(v), y1: top, y2: top + plotH, stroke: v ? '#e0e0e0' : '#9aa0a6' }),
      svg('text', { x: x(v), y: top + plotH + 14, 'text-anchor': 'middle', class: 'chart-tick' }, String(v)),
    );
  }
  chart.categories.forEach((category, i) => {
    const y0 = top + gap + i * (perCategory * barH + gap);
    const bar = svg('g', { class: 'bar', 'data-category': category });
    bar.append(
      svg(
        'text',
        { x: labelW - 8, y: y0 + (perCategory * barH) / 2 + 4, 'text-anchor': 'end', class: 'chart-label' },
        category,
      ),
    );
    let from = 0;
    chart.series.forEach((s, k) => {
      const v = Math.max(s.values[i] ?? 0, 0);
      const start = chart.stacked ? from : 0;
      const y = chart.stacked ? y0 : y0 + k * barH;
      if (v > 0)
        bar.append(
          svg(
            'rect',
            {
              class: 'segment',
              x: x(start),
              y,
              width: x(start + v) - x(start),
              height: barH,
              fill: PALETTE[k % PALETTE.length]!,
              'data-series': s.name,
              'data-value': v,
            },
            svg('title', {}, `${category} ${s.name}: ${v}`),
          ),
        );
      from += v;
    });
    root.append(bar);
  });
  chart.series.forEach((s, k) => {
    const y = legendTop + k * 20;
    // Sheets shortens long legend entries; the whole name is the entry's tooltip.
    const short = s.name.length > 32 ? `${s.name.slice(0, 31)}…` : s.name;
    root.append(
      svg(
        'g',
        { class: 'legend' },
        svg('rect', { x: 16, y: y - 10, width: 12, height: 12, fill: PALETTE[k % PALETTE.length]! }),
        svg('text', { x: 34, y, class: 'chart-legend' }, short),
        svg('title', {}, s.name),
      ),
    );
  });
  return root;
}

/** The charts floating over the grid where Sheets anchors them (once the table is laid out). */
function placeCharts(sheet: SheetData, container: HTMLElement, table: HTMLTableElement) {
  for (const chart of sheet.charts) {
    const { row, col, offsetX, offsetY } = chart.position;
    // The header cells give each drawn column's left edge (cell 0 is the corner); past the last
    // drawn column, Sheets' widths (100 px unless set).
    const heads = table.tHead!.rows[0]!.cells;
    let left: number;
    if (col < heads.length) left = heads[col]!.offsetLeft;
    else {
      const last = heads[heads.length - 1]!;
      left = last.offsetLeft + last.offsetWidth;
      for (let c = heads.length; c < col; c++) left += sheet.widths[c] ?? 100;
    }
    const tr = table.tBodies[0]?.rows[row - 1];
    const top = (tr ? tr.offsetTop : (table.tHead?.offsetHeight ?? 0)) + offsetY;
    const box = el('div', { class: 'chart-box' });
    box.style.left = `${left + offsetX}px`;
    box.style.top = `${top}px`;
    box.append(renderChart(chart));
    container.append(box);
    container.style.minWidth = `${left + offsetX + 540}px`;
  }
}

/** The page's fixed frame: built once, so the sidebar's iframe keeps its state across refreshes. */
const layout = (() => {
  const root = document.getElementById('root') ?? document.body.appendChild(el('div', { id: 'root' }));
  const userSelect = el('select', { id: 'user', 'aria-label': '利用者' }) as HTMLSelectElement;
  for (const u of window.USERS)
    userSelect.append(el('option', { value: u.email }, `${u.label} <${u.email}>`));
  userSelect.value = state.user;
  const menu = el('details', { class: 'menu' }, el('summary', {}, '拡張機能')) as HTMLDetailsElement;
  const list = el(
    'div',
    { class: 'menu-items', role: 'menu' },
    el('div', { class: 'menu-title' }, 'プラチナ提案台帳'),
  );
  for (const m of window.MENU) {
    const b = el('button', { type: 'button', role: 'menuitem' }, m.caption);
    b.addEventListener('click', async () => {
      menu.open = false;
      const res = await post('/api/menu', { fn: m.fn, user: state.user });
      handleUi(res.ui);
      await refresh();
    });
    list.append(b);
  }
  menu.append(list);
  const outbox = el('a', { href: '/outbox', target: '_blank', class: 'outbox-link' }, '送信トレイ');
  const grid = el('div', { class: 'grid-wrap' });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'サイドバーを閉じる' }, '×');
  const aside = el(
    'aside',
    { class: 'sidebar', hidden: '' },
    el('div', { class: 'sidebar-head' }, el('span', {}, 'プラチナ提案台帳'), close),
  );
  const tabs = el('nav', { class: 'tabs', 'aria-label': 'シート' });
  root.append(
    el('header', {}, el('h1', {}, 'プラチナ提案台帳'), menu, outbox, el('label', {}, '利用者 ', userSelect)),
    el('div', { class: 'main' }, grid, aside),
    tabs,
  );
  close.addEventListener('click', () => {
    state.sidebar = false;
    syncSidebar();
  });
  userSelect.addEventListener('change', () => {
    state.user = userSelect.value;
    aside.querySelector('iframe')?.remove();
    syncSidebar();
  });
  return { grid, aside, tabs };
})();

function syncSidebar() {
  layout.aside.hidden = !state.sidebar;
  if (state.sidebar && !layout.aside.querySelector('iframe')) {
    layout.aside.append(
      el('iframe', {
        src: `/sidebar?user=${encodeURIComponent(state.user)}`,
        title: 'プラチナ提案台帳 サイドバー',
        id: 'sidebar-frame',
      }),
    );
  }
  if (!state.sidebar) layout.aside.querySelector('iframe')?.remove();
}

function render() {
  const sheet = state.sheets.find((s) => s.name === state.active);
  if (sheet) {
    const table = renderGrid(sheet) as HTMLTableElement;
    const sheetBox = el('div', { class: 'sheet-box' }, table);
    layout.grid.replaceChildren(sheetBox);
    placeCharts(sheet, sheetBox, table);
  } else layout.grid.replaceChildren();
  layout.tabs.replaceChildren(
    ...state.sheets.map((s) => {
      const b = el(
        'button',
        { type: 'button', class: s.name === state.active ? 'tab active' : 'tab' },
        s.name,
      );
      b.addEventListener('click', () => {
        state.active = s.name;
        state.selected = null;
        render();
        layout.grid.scrollTo(0, 0);
      });
      return b;
    }),
  );
  syncSidebar();
}

window.addEventListener('message', (e) => {
  const data = e.data as { kind: string; events?: UiEvent[] };
  if (data.kind === 'close') {
    state.sidebar = false;
    syncSidebar();
  }
  if (data.kind === 'ui') {
    const hasSelect = (data.events ?? []).some((x) => x.kind === 'select');
    handleUi((data.events ?? []).filter((x) => x.kind !== 'sidebar'));
    refresh().then(() => {
      if (hasSelect) render();
    });
  }
});

document.body.append(el('div', { id: 'toasts', 'aria-live': 'polite' }));
refresh();

export {};
