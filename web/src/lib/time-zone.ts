/**
 * Tells the server this browser's time zone (`TIME_ZONE_COOKIE`), for the dates it draws into a
 * page before the app runs (a partner guest's banner): they are then those the app draws after.
 */
import { TIME_ZONE_COOKIE, isTimeZone } from '@passerelle/shared';

export function tellTimeZone(): void {
  if (typeof document === 'undefined') return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isTimeZone(zone) || document.cookie.split('; ').includes(`${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}`)) return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}
