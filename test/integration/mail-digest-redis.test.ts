/**
 * Scheduled e-mail with two Passerelle servers on one Redis, as behind a load balancer: both run
 * their passes at the same moment of the same clock, and each person still gets one reminder per
 * item and one digest a day.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { addDays, schoolTime } from '../../server/src/mail/school-time.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, createBoard, eventually, login, signedInAdmin, startTestServer, tempDataDir } from '../helpers/test-server.js';

const MARIE = { email: 'marie@example.org', password: 'marie-password-1', name: 'Marie Dupont' };
const redis = redisForThisFile();

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

describe('scheduled e-mail across two servers on Redis', () => {
  const servers: PasserelleServer[] = [];
  const removals: (() => void)[] = [];
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    for (const remove of removals.splice(0)) remove();
  });

  it('sends one reminder and one digest between them, however the passes meet', async () => {
    // Noon in Paris is past any digest hour of 8, whatever the season.
    const noon = new Date();
    noon.setUTCHours(11, 0, 0, 0);
    const clock = () => noon;
    const today = schoolTime(noon, 'Europe/Paris').day;
    const { url } = await redis.server();
    const keyPrefix = redis.freshPrefix();
    for (let index = 0; index < 2; index++) {
      const dir = tempDataDir();
      removals.push(dir.remove);
      servers.push(
        await startTestServer({
          dataDir: dir.dir,
          env: { REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix, SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example', DIGEST_HOUR: '8' },
          clock,
        }),
      );
    }
    const [first, second] = servers;
    const admin = await signedInAdmin(first.url);
    const boardId = await createBoard(first.url, admin.token, 'Stratégie 2027');
    const marieId = (await api<{ id: string }>(first.url, '/api/users', { method: 'POST', cookie: admin.cookie, body: { ...MARIE, locale: 'fr', departments: ['studies'] } })).body.id;
    const marieCookie = await login(second.url, MARIE);
    await api(second.url, '/api/auth/mail-preferences', { method: 'PUT', cookie: marieCookie, body: { mention: 'digest', assignment: 'digest', reminder: 'immediate' } });
    const board = new BoardDoc((await syncedClient(first.url, boardId, admin.token, (cleanup) => cleanups.push(cleanup))).doc);
    board.actions.create({ title: 'Envoyer la convention signée', ownerId: marieId, ownerName: MARIE.name, dueDate: addDays(today, 1) });
    await eventually(async () => (await api<{ notifications: unknown[] }>(second.url, '/api/notifications', { cookie: marieCookie })).body.notifications.length === 1, 10_000, 'the assignment');
    await eventually(async () => second.sync.readDocument(boardId, (doc) => new BoardDoc(doc).actions.list().length === 1), 10_000, 'the action on the second server');

    await Promise.all([first.mailScheduler.run(), second.mailScheduler.run(), first.mailScheduler.run(), second.mailScheduler.run()]);
    await Promise.all(servers.map((server) => server.mail.flush()));
    await eventually(() => smtp.mailsTo(MARIE.email).length >= 2, 10_000, 'the reminder and the digest');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const subjects = smtp.mailsTo(MARIE.email).map((mail) => mail.subject);
    expect(subjects.filter((subject) => subject.startsWith('Rappel'))).toHaveLength(1);
    expect(subjects.filter((subject) => subject.startsWith('Votre récapitulatif'))).toHaveLength(1);
    expect(subjects).toHaveLength(2);
  });
});
