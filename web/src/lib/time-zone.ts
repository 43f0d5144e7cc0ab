/**
 * Tells the server this browser's time zone (`TIME_ZONE_COOKIE`), for the dates it draws into a
 * page before the app runs (a partner guest's banner): they are then those the app draws after.
 */
import { TIME_ZONE_COOKIE, isTimeZone } from '@passerelle/shared';

/**
 * Once the browser is idle: reading the zone is the page's first use of the time zone database
 * (about 20 ms), which a page opening must not wait for; the cookie serves the next page.
 */
export function tellTimeZone(): void {
  if (typeof document === 'undefined') return;
  // Within two seconds even on a page that is never idle.
  if (window.requestIdleCallback) window.requestIdleCallback(writeTimeZoneCookie, { timeout: 2_000 });
  else setTimeout(writeTimeZoneCookie, 200);
}

function writeTimeZoneCookie(): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (document.cookie.split('; ').includes(`${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}`) || !isTimeZone(zone)) return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}
