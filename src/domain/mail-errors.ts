// MailApp's errors are English ("Invalid email: …", "Service invoked too many times…"): shown to
// the secretariat in Japanese, with what to do, and the original kept after it for support.

const KNOWN: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^Invalid email:?\s*(.*)$/i,
    (m) =>
      `メールアドレスが正しくありません(${m[1] || '宛先'})。所管課シートのメールアドレスを直してから再送してください。`,
  ],
  [
    /too many times|quota|limit exceeded/i,
    () => '今日の送信上限に達しました。明日以降の送信で自動的に送られます。',
  ],
  [
    /Failed to fetch|NetworkError|network/i,
    () => 'サーバーに接続できませんでした。通信を確認してもう一度お試しください。',
  ],
];

/** The reason a send failed, in Japanese; text already in Japanese is kept as it is. */
export function mailErrorText(raw: string): string {
  const text = raw.trim();
  if (!text || /[\u3040-\u30ff\u4e00-\u9fff]/.test(text)) return text;
  for (const [re, say] of KNOWN) {
    const m = re.exec(text);
    if (m) return `${say(m)}(${text})`;
  }
  return `送信できませんでした(${text})。`;
}
