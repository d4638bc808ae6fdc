// Email texts are composed in the domain from plain data (links and due dates passed in).
import { describe, expect, it } from 'vitest';
import { digestMessage, escalationMessage } from '../../src/domain/mail-messages';

const evil = '<img src=x onerror=alert(1)>\r\nBcc: x@example.jp';

describe('mail messages', () => {
  it('a digest lists each request with its link and escapes what people typed', () => {
    const m = digestMessage({
      department: '情報政策課',
      to: 'joho@example.jp',
      projectName: 'プラチナ市役所プロジェクト',
      ptContact: 'pt@example.jp',
      items: [
        { id: 'R7-U01', title: evil, presentedOn: '2025-09-10', link: 'https://x/exec?t=a.b' },
        { id: 'R7-S02', title: '庁内手続', presentedOn: '2025-10-01', link: 'https://x/exec?t=c.d' },
      ],
      inboxLink: 'https://x/exec?i=e.f',
    });
    expect(m.subject).toBe('【協議依頼のまとめ】未回答 2件');
    expect(m.body).toContain('■R7-S02 庁内手続(提示日 R7.10.1)\nhttps://x/exec?t=c.d');
    expect(m.body).toContain('https://x/exec?i=e.f');
    expect(m.htmlBody).not.toContain('<img');
    expect(m.htmlBody).toContain('&lt;img src=x');
  });

  it('an escalation groups overdue requests by department, and says when one was answered since', () => {
    const m = escalationMessage({
      to: 'sec@example.jp',
      projectName: 'P',
      today: '2025-12-10',
      escalationDays: 5,
      registerUrl: 'https://sheet',
      items: [
        {
          id: 'R7-U01',
          title: 'A',
          department: '保護課',
          round: 1,
          sentOn: '2025-11-04',
          dueDate: '2025-11-18',
          overdueDays: 16,
          level: 2,
        },
        {
          id: 'R7-U02',
          title: 'B',
          department: '保護課',
          round: 2,
          sentOn: '2025-11-04',
          dueDate: '2025-11-18',
          level: 1,
        },
      ],
    });
    expect(m.subject).toBe('【回答期限超過】未回答の協議依頼 2件(1課)');
    expect(m.body).toContain('■保護課(2件)');
    expect(m.body).toContain('・R7-U01 A 送信日 R7.11.4 ／ 回答期限 R7.11.18 ／ 16営業日超過・2回目の報告');
    expect(m.body).toContain(
      '・R7-U02 B(第2回) 送信日 R7.11.4 ／ 回答期限 R7.11.18 ／ (その後、回答があったか終了しています)',
    );
    expect(m.body).toContain('令和7年12月10日時点');
  });
});
