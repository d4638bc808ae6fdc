// Every email's text, composed from plain data: the register's records, and the links, due dates
// and recipients the server works out and passes in. Self-contained Japanese in plain text and
// HTML; nothing from people is rendered as HTML, and no name or title can add a header (line
// breaks are folded out of the subject by oneLine).
import { shortWareki, warekiDate } from './dates';
import { escapeHtml, type Message, oneLine } from './mail';
import type { Progress, Proposal } from './model';

export interface RequestContext {
  proposal: Proposal;
  department: string;
  recipients: string;
  round: number;
  projectName: string;
  ptContact: string;
  presentedOn: string;
  dueDate: string;
  link: string;
  /** The department's inbox (all its open requests), when the page's URL is known. */
  inboxLink?: string;
  reminder?: boolean;
}

/**
 * Days in an email as the seed writes them: 令和7年11月25日 in a sentence, R7.11.25 in a list line.
 * Anything not a day (blank, a hand-typed text) is shown as it is.
 */
export const proseDate = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? warekiDate(s) : s);
export const listDate = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? shortWareki(s) : s);

/** The line before a department's inbox link in every request and reminder. */
export const INBOX_LINE = '貴課あての協議依頼の一覧(回答期限・回答状況、各件への回答):';

const section = (label: string, text: string) => ({ label, text: text || '(記載なし)' });

/** The consultation request (or its reminder) for one department. */
export function requestMessage(c: RequestContext): Message {
  const p = c.proposal;
  const prefix = c.reminder ? '【再送・協議依頼】' : '【協議依頼】';
  const round = c.round > 1 ? `(第${c.round}回)` : '';
  const subject = oneLine(`${prefix}${p.id} ${p.title}${round}`).slice(0, 240);
  const sections = [
    section('課題(提案)名', p.title),
    section('種別', `${p.kind}${p.perspective ? `/${p.perspective}` : ''}/${p.category}`),
    section('困りごと', p.painPoint),
    section('解決策(提案)', p.solution),
    section('PT担当', [p.ptMembers, c.ptContact].filter(Boolean).join(' ')),
  ];
  const intro = [
    `${c.department} ご担当者様`,
    '',
    `${c.projectName}のプロジェクトチーム(PT)から、次の課題(提案)について協議をお願いします。`,
    c.reminder ? 'まだご回答をいただいていないため、改めてお送りします。' : '',
    `提示日: ${proseDate(c.presentedOn)}　回答期限: ${proseDate(c.dueDate)}`,
  ].filter((l, i) => l !== '' || i === 1);
  const body = [
    ...intro,
    '',
    ...sections.flatMap((s) => [`■${s.label}`, s.text, '']),
    '下のリンクから回答してください(協議に応じる/既に対応済み・対応予定/所管外/その他):',
    c.link,
    '',
    ...(c.inboxLink ? [INBOX_LINE, c.inboxLink, ''] : []),
    `ID: ${p.id}　このメールへの返信はPT担当(${c.ptContact})に届きます。`,
  ].join('\n');
  const html = [
    ...intro.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...sections.map(
      (s) =>
        `<h3 style="margin:12px 0 4px;font-size:14px">${escapeHtml(s.label)}</h3><p style="white-space:pre-wrap;margin:0">${escapeHtml(s.text)}</p>`,
    ),
    `<p style="margin:16px 0"><a href="${escapeHtml(c.link)}" style="background:#1a73e8;color:#fff;padding:8px 16px;border-radius:4px;text-decoration:none">回答する</a></p>`,
    ...(c.inboxLink
      ? [`<p><a href="${escapeHtml(c.inboxLink)}">${escapeHtml(INBOX_LINE.replace(/:$/, ''))}</a></p>`]
      : []),
    `<p style="color:#5f6368;font-size:12px">ID: ${escapeHtml(p.id)}　このメールへの返信はPT担当(${escapeHtml(c.ptContact)})に届きます。</p>`,
  ].join('\n');
  return {
    to: c.recipients,
    replyTo: c.ptContact,
    name: oneLine(c.projectName),
    subject,
    body,
    htmlBody: html,
  };
}

/** Plain lines as simple HTML paragraphs (the notices to the secretariat and the PT). */
const paragraphs = (lines: readonly string[]) =>
  lines.map((l) => `<p style="white-space:pre-wrap;margin:4px 0">${escapeHtml(l)}</p>`).join('\n');

/** The inbox link's line in HTML, or nothing when the answer page's URL is not known. */
const inboxHtml = (inboxLink: string) =>
  inboxLink
    ? [`<p><a href="${escapeHtml(inboxLink)}">${escapeHtml(INBOX_LINE.replace(/:$/, ''))}</a></p>`]
    : [];

/** A department answered: told to the secretariat and the PT contact, with what to consider next. */
export function answerNoticeMessage(c: {
  to: string;
  projectName: string;
  proposal: Proposal;
  progress: Progress;
}): Message {
  const { proposal, progress } = c;
  const hint =
    progress.answerKind === '既に対応済み・対応予定'
      ? '所管課は既に対応済み・対応予定と回答しています。サイドバーで④(対応済)にするか確認してください。'
      : progress.answerKind === '所管外'
        ? '所管課は所管外と回答しています。サイドバーで所管外として外すか確認してください。'
        : '';
  const lines = [
    `${proposal.id} ${proposal.title} について、${progress.department} から回答がありました。`,
    '',
    `回答区分: ${progress.answerKind}`,
    `回答者: ${progress.answeredBy}`,
    `回答日: ${proseDate(progress.answeredOn)}`,
    progress.proposedDate ? `協議希望日: ${proseDate(progress.proposedDate)}` : '',
    '',
    progress.answerComment || '(コメントなし)',
    '',
    hint,
  ].filter((l, i, a) => l !== '' || (a[i - 1] ?? '') !== '');
  return {
    to: c.to,
    replyTo: '',
    name: oneLine(c.projectName),
    subject: oneLine(
      `【回答】${proposal.id} ${proposal.title}(${progress.department}:${progress.answerKind})`,
    ).slice(0, 240),
    body: lines.join('\n'),
    htmlBody: paragraphs(lines),
  };
}

/** One email per department listing all its open requests, each with its own link. */
export function digestMessage(c: {
  department: string;
  to: string;
  projectName: string;
  ptContact: string;
  items: readonly { id: string; title: string; presentedOn: string; link: string }[];
  inboxLink: string;
}): Message {
  const { items } = c;
  const intro = `${c.projectName}から、回答をお待ちしている協議依頼が${items.length}件あります。`;
  const body = [
    `${c.department} ご担当者様`,
    '',
    intro,
    '',
    ...items.flatMap((x) => [`■${x.id} ${x.title}(提示日 ${listDate(x.presentedOn)})`, x.link, '']),
    ...(c.inboxLink ? [INBOX_LINE, c.inboxLink] : []),
  ].join('\n');
  const html = [
    `<p>${escapeHtml(c.department)} ご担当者様</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    '<ul>',
    ...items.map((x) => `<li><a href="${escapeHtml(x.link)}">${escapeHtml(`${x.id} ${x.title}`)}</a></li>`),
    '</ul>',
    ...inboxHtml(c.inboxLink),
  ].join('\n');
  return {
    to: c.to,
    replyTo: c.ptContact,
    name: oneLine(c.projectName),
    subject: oneLine(`【協議依頼のまとめ】未回答 ${items.length}件`),
    body,
    htmlBody: html,
  };
}

/** To the secretariat: requests still unanswered past their 回答期限, by department. */
export function escalationMessage(c: {
  to: string;
  projectName: string;
  today: string;
  escalationDays: number;
  registerUrl: string;
  items: readonly {
    id: string;
    title: string;
    department: string;
    round: number;
    sentOn: string;
    dueDate: string;
    /** undefined once answered or closed */
    overdueDays?: number;
    level: number;
  }[];
}): Message {
  const byDept = new Map<string, string[]>();
  for (const x of c.items) {
    const status =
      x.overdueDays === undefined
        ? '(その後、回答があったか終了しています)'
        : `${x.overdueDays}営業日超過${x.level > 1 ? `・${x.level}回目の報告` : ''}`;
    const line = `・${x.id} ${x.title}${x.round > 1 ? `(第${x.round}回)` : ''} 送信日 ${listDate(x.sentOn)} ／ 回答期限 ${listDate(x.dueDate)} ／ ${status}`;
    byDept.set(x.department, [...(byDept.get(x.department) ?? []), line]);
  }
  const days = c.escalationDays;
  const lines = [
    '事務局 ご担当者様',
    '',
    `回答期限を${days}営業日以上過ぎても所管課から回答のない協議依頼が${c.items.length}件あります(${proseDate(c.today)}時点)。所管課への確認をお願いします。`,
    '',
    ...[...byDept].flatMap(([dept, items]) => [`■${dept}(${items.length}件)`, ...items, '']),
    `同じ協議依頼は、さらに${days}営業日過ぎるまで再び通知しません。`,
    c.registerUrl,
  ];
  return {
    to: c.to,
    replyTo: '',
    name: oneLine(c.projectName),
    subject: oneLine(`【回答期限超過】未回答の協議依頼 ${c.items.length}件(${byDept.size}課)`),
    body: lines.join('\n'),
    htmlBody: paragraphs(lines),
  };
}

/** A progress check (実施状況の確認) of one period, listing the department's carried-over proposals. */
export function progressCheckMessage(c: {
  department: string;
  to: string;
  projectName: string;
  ptContact: string;
  /** 令和8年4月 */
  periodLabel: string;
  /** the 年度 the proposals were carried from: 令和7年度 */
  fromLabel: string;
  statuses: readonly string[];
  items: readonly { id: string; title: string; implementation: string; link: string }[];
  inboxLink: string;
}): Message {
  const { items } = c;
  const intro = [
    `${c.department} ご担当者様`,
    '',
    `${c.projectName}です。${c.fromLabel}から継続検討となっている次の課題(提案)${items.length}件について、${c.periodLabel}時点の実施状況をお知らせください。`,
    `各件のリンクから実施状況(${c.statuses.join('/')})を選び、必要に応じて取組の状況をメモに書いて回答してください。`,
  ];
  const body = [
    ...intro,
    '',
    ...items.flatMap((x) => [
      `■${x.id} ${x.title}(現在の実施状況: ${x.implementation || '未設定'})`,
      x.link,
      '',
    ]),
    ...(c.inboxLink ? [INBOX_LINE, c.inboxLink, ''] : []),
    `このメールへの返信はPT連絡先(${c.ptContact})に届きます。`,
  ].join('\n');
  const html = [
    ...intro.map((l) => `<p>${escapeHtml(l)}</p>`),
    '<ul>',
    ...items.map(
      (x) =>
        `<li><a href="${escapeHtml(x.link)}">${escapeHtml(`${x.id} ${x.title}`)}</a>(現在の実施状況: ${escapeHtml(x.implementation || '未設定')})</li>`,
    ),
    '</ul>',
    ...inboxHtml(c.inboxLink),
  ].join('\n');
  return {
    to: c.to,
    replyTo: c.ptContact,
    name: oneLine(c.projectName),
    subject: oneLine(`【実施状況の確認】${c.periodLabel} 継続検討の課題 ${items.length}件`),
    body,
    htmlBody: html,
  };
}
