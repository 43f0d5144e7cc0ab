/**
 * In a browser, validation generates no code at run time. zod otherwise probes for it with
 * `new Function` at its first parse of an object, and the web app's pages, whose
 * Content-Security-Policy allows no 'unsafe-eval', refuse and report that probe. Imported first by
 * the modules that parse while they load (and by the package's entry), so that no parse comes
 * before it.
 */
import { config } from 'zod';

if (typeof document !== 'undefined') config({ jitless: true });
