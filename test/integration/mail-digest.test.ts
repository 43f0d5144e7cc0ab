/**
 * E-mail by the clock, as a real SMTP server receives it: due-date reminders the day before, once
 * each even across a restart, and each person's daily digest of the kinds they chose for it, at the
 * configured hour of the school's day. The clock is the test's: passes run when the test asks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, ProposalDoc, proposalDocName, type MailPreferences } from '@passerelle/shared';
import { addCard, TEST_ACTOR } from '../helpers/proposals.js';
import { addDays, schoolTime } from '../../server/src/mail/school-time.js';
import { serverPerTest } from '../helpers/per-test.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, createBoard, eventually, login, signedInAdmin } from '../helpers/test-server.js';

const MARIE = { email: 'marie@example.org', password: 'marie-password-1', name: 'Marie Dupont' };
const TIME_ZONE = 'Europe/Paris';

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

describe('scheduled e-mail', () => {
  const clock = { now: new Date() };
  const ctx = serverPerTest(() => ({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example', PUBLIC_URL: 'http://passerelle.school.example', DIGEST_HOUR: '8', MAIL_TIME_ZONE: TIME_ZONE },
    clock: () => clock.now,
  }));
  let admin: { token: string; cookie: string };
  let boardId: string;
  let board: BoardDoc;
  let marieId: string;
  let marieCookie: string;
  /** Eight o’clock in Paris, after the test started: notifications made now fall within its first digest. */
  let eight: Date;
  let today: string;

  beforeEach(async () => {
    smtp.received.length = 0;
    eight = nextSchoolHour(new Date(), 8);
    today = schoolTime(eight, TIME_ZONE).day;
    clock.now = new Date(eight.getTime() - 3600_000);
    admin = await signedInAdmin(ctx.server.url);
    boardId = await createBoard(ctx.server.url, admin.token, 'Stratégie 2027');
    const created = await api<{ id: string }>(ctx.server.url, '/api/users', { method: 'POST', cookie: admin.cookie, body: { ...MARIE, locale: 'fr', departments: ['studies'] } });
    marieId = created.body.id;
    marieCookie = await login(ctx.server.url, MARIE);
    board = new BoardDoc((await syncedClient(ctx.server.url, boardId, admin.token, ctx.track)).doc);
  });

  const choose = (preferences: MailPreferences) => api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', { method: 'PUT', cookie: marieCookie, body: preferences });
  const subjectsTo = (address: string) => smtp.mailsTo(address).map((mail) => mail.subject);
  const reminders = () => subjectsTo(MARIE.email).filter((subject) => subject.startsWith('Rappel'));
  /** Lets e-mail written by a pass reach the SMTP server, so that "nothing arrived" means it. */
  const settle = async () => {
    await ctx.server.mail.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const onServer = (check: (doc: BoardDoc) => boolean, what: string) => eventually(async () => ctx.server.sync.readDocument(boardId, (doc) => check(new BoardDoc(doc))), 5000, what);

  it('reminds an action item’s owner the day before it is due, from the digest hour, once, even after a restart', async () => {
    await choose({ mention: 'immediate', assignment: 'never', sign_off_request: 'immediate', reminder: 'immediate' });
    const due = addDays(today, 1);
    board.actions.create({ title: 'Envoyer la convention signée', ownerId: marieId, ownerName: MARIE.name, dueDate: due });
    board.actions.create({ title: 'Préparer le jury', ownerId: marieId, ownerName: MARIE.name, dueDate: addDays(today, 3) });
    board.actions.create({ title: 'Déjà fait', ownerId: marieId, ownerName: MARIE.name, dueDate: due, done: true });
    // No owner, but a department: its members are reminded.
    board.actions.create({ title: 'Relire le budget', department: 'studies', dueDate: today });
    board.actions.create({ title: 'Réserver la salle', department: 'research', dueDate: due });
    await onServer((doc) => doc.actions.list().length === 5, 'the actions on the server');

    // Seven o’clock: too early.
    await ctx.server.mailScheduler.run();
    await settle();
    expect(reminders()).toEqual([]);

    clock.now = eight;
    await ctx.server.mailScheduler.run();
    await eventually(() => reminders().length === 2, 5000, 'two reminders');
    await settle();
    expect(reminders()).toHaveLength(2);
    expect(reminders()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Rappel : « Envoyer la convention signée » arrive à échéance le \d+ \S+ \d{4}$/),
        expect.stringMatching(/^Rappel : « Relire le budget » arrive à échéance le/),
      ]),
    );
    const mail = smtp.mailsTo(MARIE.email).find((candidate) => candidate.subject.includes('Envoyer la convention'))!;
    expect(mail.text).toContain('L’action « Envoyer la convention signée » du tableau Stratégie 2027 arrive à échéance le');
    expect(mail.text).toContain(`http://passerelle.school.example/boards/${boardId}?view=actions`);
    expect(mail.html).toContain('Ne plus recevoir de rappel avant mes échéances');
    expect(mail.parsed.headerLines.find((line) => line.key === 'list-unsubscribe')?.line).toContain('http://passerelle.school.example/api/mail/unsubscribe?token=');

    // Later the same day, and after a restart: nothing again.
    clock.now = new Date(eight.getTime() + 3 * 3600_000);
    await ctx.server.mailScheduler.run();
    await ctx.restart();
    await ctx.server.mailScheduler.run();
    await settle();
    expect(reminders()).toHaveLength(2);

    // A due date moved is another reminder.
    const movedId = (await ctx.server.sync.readDocument(boardId, (doc) => new BoardDoc(doc).actions.list())).find((action) => action.title === 'Envoyer la convention signée')!.id;
    const again = new BoardDoc((await syncedClient(ctx.server.url, boardId, admin.token, ctx.track)).doc);
    again.actions.update(movedId, { dueDate: addDays(today, 2) });
    await onServer((doc) => doc.actions.get(movedId)?.dueDate === addDays(today, 2), 'the moved due date');
    clock.now = new Date(eight.getTime() + 24 * 3600_000);
    await ctx.server.mailScheduler.run();
    await eventually(() => reminders().length === 3, 5000, 'the moved action’s reminder');
    await settle();
    expect(reminders()).toHaveLength(3);
  });

  it('reminds a board’s members of a roadmap item’s last day, and no one else', async () => {
    await choose({ mention: 'immediate', assignment: 'never', sign_off_request: 'immediate', reminder: 'immediate' });
    const outsider = await api<{ id: string }>(ctx.server.url, '/api/users', {
      method: 'POST',
      cookie: admin.cookie,
      body: { email: 'paul@example.org', password: 'paul-password-1', name: 'Paul', locale: 'en', departments: ['studies'] },
    });
    expect(outsider.status).toBe(201);
    expect((await api(ctx.server.url, `/api/boards/${boardId}/members/${marieId}`, { method: 'PUT', token: admin.token, body: { role: 'editor' } })).status).toBe(204);
    board.roadmap.create({ title: 'Appel à projets Erasmus+', startDate: addDays(today, -30), endDate: addDays(today, 1) });
    await onServer((doc) => doc.roadmap.list().length === 1, 'the roadmap item on the server');
    clock.now = eight;
    await ctx.server.mailScheduler.run();
    const mail = await smtp.mailTo(MARIE.email);
    expect(mail.subject).toMatch(/^Rappel : « Appel à projets Erasmus\+ » se termine le/);
    expect(mail.text).toContain(`http://passerelle.school.example/boards/${boardId}?view=roadmap`);
    await settle();
    expect(smtp.mailsTo('paul@example.org')).toEqual([]);
  });

  it('reminds the department that writes a proposal section of its due date, in each person’s language', async () => {
    await choose({ mention: 'immediate', assignment: 'never', sign_off_request: 'immediate', reminder: 'immediate' });
    const paul = await api<{ id: string }>(ctx.server.url, '/api/users', {
      method: 'POST',
      cookie: admin.cookie,
      body: { email: 'paul@example.org', password: 'paul-password-1', name: 'Paul', locale: 'en', departments: ['studies'] },
    });
    expect(paul.status).toBe(201);
    const cardId = await addCard(ctx.server, boardId, 'Double diplôme Porto');
    const section = await ctx.server.sync.editDocument(
      proposalDocName(boardId, cardId),
      (doc) => {
        const proposal = new ProposalDoc(doc);
        const first = proposal.list()[0]!;
        proposal.setOwner(first.id, { kind: 'department', department: 'studies' });
        proposal.setDueDate(first.id, addDays(today, 1));
        return first;
      },
      TEST_ACTOR,
    );
    clock.now = eight;
    await ctx.server.mailScheduler.run();
    const inEnglish = await smtp.mailTo('paul@example.org');
    expect(inEnglish.subject).toBe(`Reminder: “${section.title.en}” is due on ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${addDays(today, 1)}T12:00:00Z`))}`);
    expect(inEnglish.text).toContain(`of the proposal “Double diplôme Porto”, in the board Stratégie 2027, is due on`);
    expect(inEnglish.text).toContain(`http://passerelle.school.example/boards/${boardId}?card=${cardId}`);
    const inFrench = await smtp.mailTo(MARIE.email);
    expect(inFrench.subject).toMatch(new RegExp(`^Rappel : « ${section.title.fr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} » arrive à échéance le`));
  });

  it('stops reminders through their unsubscribe link', async () => {
    await choose({ mention: 'immediate', assignment: 'never', sign_off_request: 'immediate', reminder: 'immediate' });
    board.actions.create({ title: 'Envoyer la convention signée', ownerId: marieId, ownerName: MARIE.name, dueDate: addDays(today, 1) });
    await onServer((doc) => doc.actions.list().length === 1, 'the action on the server');
    clock.now = eight;
    await ctx.server.mailScheduler.run();
    const mail = await smtp.mailTo(MARIE.email);
    const token = decodeURIComponent(/\/unsubscribe\?token=(\S+)/.exec(mail.text)![1]);
    expect((await api(ctx.server.url, '/api/mail/unsubscribe', { method: 'POST', body: { token } })).body).toEqual({ kind: 'reminder' });
    expect((await api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', { cookie: marieCookie })).body.preferences.reminder).toBe('never');
  });

  describe('the daily digest', () => {
    let cardId: string;

    beforeEach(async () => {
      cardId = board.addProposal(board.addColumn('Propositions'), { title: 'Alliance chimie verte', createdBy: 'admin' });
      await onServer((doc) => doc.getProposal(cardId) !== undefined, 'the proposal on the server');
    });

    const mention = (text: string) =>
      api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/comments`, { method: 'POST', token: admin.token, body: { text, mentions: [marieId] } });
    const notificationCount = async () => (await api<{ notifications: unknown[] }>(ctx.server.url, '/api/notifications', { cookie: marieCookie })).body.notifications.length;
    const digests = () => smtp.mailsTo(MARIE.email).filter((mail) => mail.subject.startsWith('Votre récapitulatif'));

    it('gathers the kinds chosen for it in one message a day from the digest hour, and sends nothing on an empty day', async () => {
      await choose({ mention: 'digest', assignment: 'digest', sign_off_request: 'never', reminder: 'digest' });
      await mention('@Marie pouvez-vous relire ?');
      board.actions.create({ title: 'Envoyer la convention signée', ownerId: marieId, ownerName: MARIE.name, dueDate: addDays(today, 1) });
      await eventually(async () => (await notificationCount()) === 2, 5000, 'the mention and the assignment');
      await settle();
      expect(smtp.mailsTo(MARIE.email)).toEqual([]);

      await ctx.server.mailScheduler.run();
      await settle();
      expect(digests()).toEqual([]);

      clock.now = eight;
      await ctx.server.mailScheduler.run();
      const digest = await smtp.mailTo(MARIE.email);
      expect(digest.subject).toMatch(/^Votre récapitulatif Passerelle du \d+ \S+ \d{4}$/);
      expect(digest.text).toContain('Bonjour Marie Dupont,');
      expect(digest.text).toContain('Échéances proches\n- L’action « Envoyer la convention signée » du tableau Stratégie 2027 arrive à échéance le');
      expect(digest.text).toContain('Actions qui vous sont confiées\n- ');
      expect(digest.text).toMatch(/Mentions\n- .*vous a mentionné sur « Alliance chimie verte »/);
      expect(digest.text).toContain(`http://passerelle.school.example/boards/${boardId}?card=${cardId}`);
      expect(digest.html).toContain('<h2 style="font-size:17px;margin:24px 0 8px">Échéances proches</h2>');
      expect(digest.html).toContain('Ne plus recevoir le récapitulatif du jour');

      // Once a day; the reminder it carried is not sent again on its own nor in the next digest.
      clock.now = new Date(eight.getTime() + 2 * 3600_000);
      await ctx.server.mailScheduler.run();
      clock.now = new Date(eight.getTime() + 24 * 3600_000);
      await ctx.server.mailScheduler.run();
      await settle();
      expect(smtp.mailsTo(MARIE.email)).toHaveLength(1);

      // The next one carries only what came since the last.
      clock.now = new Date(eight.getTime() + 30 * 3600_000);
      await mention('@Marie et la version anglaise ?');
      await eventually(async () => (await notificationCount()) === 3, 5000, 'the second mention');
      clock.now = new Date(eight.getTime() + 48 * 3600_000);
      await ctx.server.mailScheduler.run();
      await eventually(() => digests().length === 2, 5000, 'the second digest');
      const second = digests()[1];
      expect(second.text.match(/vous a mentionné/g)).toHaveLength(1);
      expect(second.text).not.toContain('Actions qui vous sont confiées');
      expect(second.text).not.toContain('Échéances proches');
    });

    it('stops every kind gathered in it through its unsubscribe link', async () => {
      await choose({ mention: 'digest', assignment: 'immediate', sign_off_request: 'digest', reminder: 'digest' });
      await mention('@Marie pouvez-vous relire ?');
      await eventually(async () => (await notificationCount()) === 1, 5000, 'the mention');
      clock.now = eight;
      await ctx.server.mailScheduler.run();
      const digest = await smtp.mailTo(MARIE.email);
      const token = decodeURIComponent(/\/unsubscribe\?token=(\S+)/.exec(digest.text)![1]);
      expect((await api(ctx.server.url, '/api/mail/unsubscribe', { method: 'POST', body: { token } })).body).toEqual({ kind: 'digest' });
      expect((await api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', { cookie: marieCookie })).body.preferences).toEqual({
        mention: 'never',
        assignment: 'immediate',
        sign_off_request: 'never',
        reminder: 'never',
      });
    });
  });
});
