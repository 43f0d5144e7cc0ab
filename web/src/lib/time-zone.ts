/**
 * Tells the server this browser's time zone (`TIME_ZONE_COOKIE`), for the dates it draws into a
 * page before the app runs (a partner guest's banner): they are then those the app draws after.
 */
import { TIME_ZONE_COOKIE, isTimeZone } from '@passerelle/shared';

/**
 * Where the zone's offsets from UTC in January and July were noted when the zone was last read, in
 * this tab's session storage (nothing of it stays once the tab is closed): while the cookie is there
 * and they are the same, the zone is taken as unchanged and not read again.
 */
const OFFSETS_KEY = 'passerelle:time-zone-offsets';

/**
 * Once the browser is idle: reading the zone is the page's first use of the time zone database
 * (20–40 ms), which a page opening must not wait for; the cookie serves the next page.
 */
export function tellTimeZone(): void {
  if (typeof document === 'undefined') return;
  // Within two seconds even on a page that is never idle.
  if (window.requestIdleCallback) window.requestIdleCallback(writeTimeZoneCookie, { timeout: 2_000 });
  else setTimeout(writeTimeZoneCookie, 200);
}

/** The zone's offsets from UTC in January and July of this year (its daylight saving time, if any), in minutes. */
function offsets(): string {
  const year = new Date().getFullYear();
  return `${new Date(year, 0, 1).getTimezoneOffset()},${new Date(year, 6, 1).getTimezoneOffset()}`;
}

function storedOffsets(): string | null {
  try {
    return sessionStorage.getItem(OFFSETS_KEY);
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function writeTimeZoneCookie(): void {
  const written = document.cookie.split('; ').some((cookie) => cookie.startsWith(`${TIME_ZONE_COOKIE}=`));
  // The same offsets as when the cookie was written: the same zone for every date the app draws.
  const now = offsets();
  if (written && storedOffsets() === now) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isTimeZone(zone)) return;
  try {
    sessionStorage.setItem(OFFSETS_KEY, now);
  } catch {
    // storage disabled: the zone is read again at the next page
  }
  if (document.cookie.split('; ').includes(`${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}`)) return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}
