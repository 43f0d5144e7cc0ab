/** What the demo workspace (written on a first start, see the server's `demo/`) is recognised by. */
import type { Locale } from './api.js';

/** The demo board's title in each language it may be written in (`DEMO_LANGUAGE`). */
export const DEMO_BOARD_TITLE: Readonly<Record<Locale, string>> = {
  fr: 'Stratégie internationale ESCOM',
  en: 'ESCOM international strategy',
};
