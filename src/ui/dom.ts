// A tiny DOM builder. Text from people only ever becomes text nodes or attribute values.
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined | ((e: Event) => void)> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') e.addEventListener(k.replace(/^on/, ''), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat())
    if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'number' ? String(c) : c);
  return e;
}

export function clear(e: Element, ...children: (Node | null | false)[]) {
  e.replaceChildren(...children.filter((c): c is Node => !!c));
}

/** Today in Tokyo as 2025-11-25 (the default 効力日). */
export function todayInTokyo(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Tokyo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** A CSS class per stage (ASCII: CSS parsers differ on ①). */
export const stageClass = (stage: string) =>
  `stage s${({ '①': 1, '②': 2, '③': 3, '④': 4 } as Record<string, number>)[stage] ?? 0}`;
