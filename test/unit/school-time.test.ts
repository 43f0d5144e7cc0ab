/** The school's day and hour, which decide when reminders and digests go out. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { addDays, schoolTime } from '../../server/src/mail/school-time.js';

describe('schoolTime', () => {
  it('reads the day and hour in the school’s time zone, not in UTC', () => {
    // 23:30 UTC in winter is already half past midnight the next day in Paris.
    expect(schoolTime(new Date('2026-12-02T23:30:00Z'), 'Europe/Paris')).toEqual({ day: '2026-12-03', hour: 0 });
    // In summer Paris is two hours ahead.
    expect(schoolTime(new Date('2026-07-01T06:15:00Z'), 'Europe/Paris')).toEqual({ day: '2026-07-01', hour: 8 });
    expect(schoolTime(new Date('2026-07-01T06:15:00Z'), 'America/Montreal')).toEqual({ day: '2026-07-01', hour: 2 });
  });

  it('moves a day across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});

describe('scheduled e-mail settings', () => {
  it('defaults to seven o’clock in Paris, the day before', () => {
    expect(loadConfig({}).mailSchedule).toEqual({ digestHour: 7, timeZone: 'Europe/Paris', reminderLeadDays: 1 });
    expect(loadConfig({ DIGEST_HOUR: '18', MAIL_TIME_ZONE: 'Europe/Brussels', REMINDER_LEAD_DAYS: '0' }).mailSchedule).toEqual({ digestHour: 18, timeZone: 'Europe/Brussels', reminderLeadDays: 0 });
  });

  it('refuses an hour outside the day and an unknown time zone', () => {
    expect(() => loadConfig({ DIGEST_HOUR: '24' })).toThrow(/DIGEST_HOUR/);
    expect(() => loadConfig({ MAIL_TIME_ZONE: 'Paris/Europe' })).toThrow(/MAIL_TIME_ZONE: must be a time zone/);
  });
});
