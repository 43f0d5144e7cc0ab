/**
 * Planned meetings in the e-mail that goes out by the clock, as a real SMTP server receives it: the
 * board's members are reminded of a meeting with its time and place, in their language, by a
 * reminder of its own or in their digest, as they chose; no one else is, and a meeting already
 * begun is not. The clock is the test's: passes run when the test asks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, type MailPreferences } from '@passerelle/shared';
import { addDays, schoolTime } from '../../server/src/mail/school-time.js';
import { serverPerTest } from '../helpers/per-test.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, createBoard, eventually, login, signedInAdmin } from '../helpers/test-server.js';

const TIME_ZONE = 'Europe/Paris';
const MARIE = { email: 'marie@example.org', password: 'marie-password-1', name: 'Marie Dupont', locale: 'fr' };
const PAUL = { email: 'paul@example.org', password: 'paul-password-1', name: 'Paul Martin', locale: 'en' };
const ZOE = { email: 'zoe@example.org', password: 'zoe-password-1', name: 'Zoé Leroy', locale: 'fr' };

/** The first whole hour after `from` at which the school's clock reads `hour`, within a day. */
function nextSchoolHour(from: Date, hour: number): Date {
  for (let step = 1; step <= 24; step++) {
    const candidate = new Date(from.getTime() + step * 3600_000);
    if (schoolTime(candidate, TIME_ZONE).hour === hour) return candidate;
  }
  throw new Error(`no ${hour} o’clock within a day`);
}

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

describe('planned meetings in scheduled e-mail', () => {
  const clock = { now: new Date() };
  const ctx = serverPerTest(() => ({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example', PUBLIC_URL: 'http://passerelle.school.example', DIGEST_HOUR: '8', MAIL_TIME_ZONE: TIME_ZONE },
    clock: () => clock.now,
  }));
  let eight: Date;
  let today: string;
  let boardId: string;
  let board: BoardDoc;

  beforeEach(async () => {
    smtp.received.length = 0;
    eight = nextSchoolHour(new Date(), 8);
    today = schoolTime(eight, TIME_ZONE).day;
    clock.now = new Date(eight.getTime() - 3600_000);
    const admin = await signedInAdmin(ctx.server.url);
    boardId = await createBoard(ctx.server.url, admin.token, 'Stratégie 2027');
    // Marie and Paul are members of the board; Zoé reads it through the workspace only.
    for (const [person, preferences, member] of [
      [MARIE, { mention: 'immediate', assignment: 'never', sign_off_request: 'never', reminder: 'immediate' }, true],
      [PAUL, { mention: 'immediate', assignment: 'never', sign_off_request: 'never', reminder: 'digest' }, true],
      [ZOE, { mention: 'immediate', assignment: 'never', sign_off_request: 'never', reminder: 'immediate' }, false],
    ] as const) {
      const created = await api<{ id: string }>(ctx.server.url, '/api/users', { method: 'POST', cookie: admin.cookie, body: { ...person, departments: ['studies'] } });
      expect(created.status).toBe(201);
      const cookie = await login(ctx.server.url, person);
      expect((await api(ctx.server.url, '/api/auth/mail-preferences', { method: 'PUT', cookie, body: preferences satisfies MailPreferences })).status).toBe(200);
      if (member) expect((await api(ctx.server.url, `/api/boards/${boardId}/members/${created.body.id}`, { method: 'PUT', token: admin.token, body: { role: 'viewer' } })).status).toBe(204);
    }
    board = new BoardDoc((await syncedClient(ctx.server.url, boardId, admin.token, ctx.track)).doc);
  });

  const settle = async () => {
    await ctx.server.mail.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
  };

  it('reminds the board’s members of tomorrow’s meeting with its time and place, each in their language, and not of one already begun', async () => {
    board.plannedMeetings.create({ title: 'Comité de pilotage', date: addDays(today, 1), start: '14:30', minutes: 90, place: 'Salle B12' });
    // Today at seven: over by the time the e-mail goes out at eight.
    board.plannedMeetings.create({ title: 'Point du matin', date: today, start: '07:00', minutes: 30 });
    await eventually(async () => (await ctx.server.sync.readDocument(boardId, (doc) => new BoardDoc(doc).plannedMeetings.list().length)) === 2, 5000, 'the meetings on the server');

    clock.now = eight;
    await ctx.server.mailScheduler.run();
    const reminder = await smtp.mailTo(MARIE.email);
    expect(reminder.subject).toMatch(/^Rappel : réunion « Comité de pilotage » le \d+ \S+ \d{4} à 14:30$/);
    expect(reminder.text).toMatch(/La réunion « Comité de pilotage » du tableau Stratégie 2027 a lieu le \d+ \S+ \d{4} à 14:30, Salle B12\./);
    expect(reminder.text).toContain(`http://passerelle.school.example/boards/${boardId}`);

    const digest = await smtp.mailTo(PAUL.email);
    expect(digest.text).toMatch(/The meeting “Comité de pilotage” of the board Stratégie 2027 takes place on \d+ \S+ \d{4} at 14:30, Salle B12\./);

    await settle();
    expect(smtp.mailsTo(MARIE.email)).toHaveLength(1);
    expect(smtp.mailsTo(PAUL.email)).toHaveLength(1);
    expect(smtp.received.some((mail) => JSON.stringify(mail.text).includes('Point du matin'))).toBe(false);
    expect(smtp.mailsTo(ZOE.email)).toEqual([]);
  });

  it('reminds again of a meeting moved to another time, and not of a cancelled one', async () => {
    const id = board.plannedMeetings.create({ title: 'Comité de pilotage', date: addDays(today, 1), start: '14:30' });
    const cancelled = board.plannedMeetings.create({ title: 'Réunion annulée', date: addDays(today, 1), start: '16:00' });
    board.plannedMeetings.delete(cancelled);
    await eventually(async () => (await ctx.server.sync.readDocument(boardId, (doc) => new BoardDoc(doc).plannedMeetings.list().length)) === 1, 5000, 'the meeting on the server');
    clock.now = eight;
    await ctx.server.mailScheduler.run();
    await smtp.mailTo(MARIE.email);

    board.plannedMeetings.update(id, { start: '09:15' });
    await eventually(async () => (await ctx.server.sync.readDocument(boardId, (doc) => new BoardDoc(doc).plannedMeetings.get(id)?.start)) === '09:15', 5000, 'the moved meeting');
    clock.now = new Date(eight.getTime() + 3600_000);
    await ctx.server.mailScheduler.run();
    await eventually(() => smtp.mailsTo(MARIE.email).length === 2, 5000, 'the second reminder');
    await settle();
    expect(smtp.mailsTo(MARIE.email).map((mail) => mail.subject.replace(/le .* à/, 'le … à'))).toEqual([
      'Rappel : réunion « Comité de pilotage » le … à 14:30',
      'Rappel : réunion « Comité de pilotage » le … à 09:15',
    ]);
  });
});
