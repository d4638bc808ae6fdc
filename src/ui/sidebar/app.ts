// What every sidebar view is given: the caller's settings, the element it draws in, navigation.
import type { DataOf } from '../client';

export type Settings = DataOf<'apiSettings'>;

export interface App {
  settings: Settings;
  root: HTMLElement;
  go(view: 'search' | 'create' | { id: string; notice?: string; kind?: 'ok' | 'error' }): void;
  /** Shows a page-level message (saved, refused, failed). */
  notice(text: string, kind?: 'ok' | 'error'): void;
}
