// 取込 (menu → dialog): a CSV chosen here is read in the browser and imported all or nothing.
import { callServer } from '../client';
import { clear, h } from '../dom';

const app = document.getElementById('app')!;
const file = h('input', {
  type: 'file',
  accept: '.csv,text/csv',
  id: 'csv',
  'aria-describedby': 'csv-help',
}) as HTMLInputElement;
const result = h('div', { role: 'status', 'aria-live': 'polite' });
const button = h('button', { type: 'button', class: 'action', disabled: true }, '取り込む');
file.addEventListener('change', () => {
  button.disabled = !file.files?.length;
});
button.addEventListener('click', async () => {
  const f = file.files?.[0];
  if (!f) return;
  button.disabled = true;
  button.textContent = '取込中…';
  try {
    const csv = await f.text();
    const r = await callServer('apiImportCsv', { csv, fileName: f.name });
    clear(
      result,
      r.ok
        ? h(
            'p',
            { class: 'ok' },
            `${r.data.imported}件を取り込みました(${r.data.ids[0] ?? ''}〜${r.data.ids[r.data.ids.length - 1] ?? ''})。`,
          )
        : h('p', { class: 'error' }, r.message),
    );
  } catch (e) {
    clear(result, h('p', { class: 'error' }, `通信に失敗しました: ${(e as Error).message}`));
  } finally {
    button.textContent = '取り込む';
    button.disabled = false;
  }
});
clear(
  app,
  h('label', { for: 'csv' }, 'CSVファイル(UTF-8)'),
  file,
  h(
    'p',
    { class: 'hint', id: 'csv-help' },
    '見出し: ID, 年度, 種別, 目線, 場面・分類, 困りごと, 課題(提案)名, 解決策, 所管課, 進捗, 提示日, 協議日, 判断, 判断日, 終了理由, PT担当, 備考(順不同)。1行でも誤りがあれば何も取り込みません。メールは送りません。',
  ),
  button,
  result,
);
