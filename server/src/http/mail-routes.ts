/** The administrators' view of e-mail: whether it goes out, a test message, and the last failures. */
import express from 'express';
import { MailPreferences, UnsubscribeRequest, type MailFailure, type MailSettings } from '@passerelle/shared';
import type { MailService } from '../mail/mail-service.js';
import { testMail } from '../mail/messages.js';
import { digestKindsOf } from '../mail/mail-scheduler.js';
import { mailPreferencesOf, readUnsubscribeToken } from '../mail/notification-mail.js';
import type { MailOutbox, PeopleStore } from '../store/account-store.js';
import { ApiError, parseBody, requestLocale } from './errors.js';
import { memberOf, requireAdmin, requireMember } from './guards.js';

/** Failures listed: enough to see a pattern (one address, one kind, everything). */
const FAILURES_LISTED = 50;

export function createMailRoutes(options: {
  mail: MailService;
  outbox: MailOutbox;
  people: PeopleStore;
  from: string | null;
  linkBase: (request: express.Request) => string;
}): express.Router {
  const { people } = options;
  const router = express.Router();

  router.get('/auth/mail-preferences', requireMember, async (request, response) => {
    response.json({ preferences: await mailPreferencesOf(people, memberOf(request).id), mailEnabled: options.mail.enabled });
  });

  router.put('/auth/mail-preferences', requireMember, async (request, response) => {
    // Kinds left out stay as they are: a client written before a kind existed still saves the others.
    const preferences = parseBody(MailPreferences.partial(), request.body);
    const userId = memberOf(request).id;
    for (const [kind, delivery] of Object.entries(preferences) as [keyof MailPreferences, MailPreferences[keyof MailPreferences] | undefined][]) {
      if (delivery) await people.setMailPreference(userId, kind, delivery);
    }
    response.json({ preferences: await mailPreferencesOf(people, userId), mailEnabled: options.mail.enabled });
  });

  // An unsubscribe link works without signing in: its token is signed with the person's own secret.
  // The page posts it as JSON; a mail client's one-click unsubscribe (RFC 8058) posts to the URL of
  // the List-Unsubscribe header, with the token in the query.
  router.post('/mail/unsubscribe', async (request, response) => {
    const { token } = parseBody(UnsubscribeRequest, typeof request.query.token === 'string' ? { token: request.query.token } : request.body);
    const link = await readUnsubscribeToken(people, token);
    if (!link) throw new ApiError('not_found');
    // A digest's link stops the digest: every kind gathered in it is no longer sent at all.
    const kinds = link.kind === 'digest' ? digestKindsOf(await mailPreferencesOf(people, link.userId)) : [link.kind];
    for (const kind of kinds) await people.setMailPreference(link.userId, kind, 'never');
    response.json({ kind: link.kind });
  });

  router.get('/mail', requireAdmin, async (_request, response) => {
    const failures: MailFailure[] = (await options.outbox.listFailures(FAILURES_LISTED)).map((message) => ({
      id: message.id,
      kind: message.kind,
      to: message.to,
      subject: message.subject,
      status: message.status === 'failed' ? 'failed' : 'pending',
      attempts: message.attempts,
      lastError: message.lastError ?? '',
      lastAttemptAt: message.lastAttemptAt ?? message.createdAt,
      nextAttemptAt: message.status === 'failed' ? null : message.nextAttemptAt,
    }));
    const settings: MailSettings = { enabled: options.mail.enabled, from: options.from, failures };
    response.json(settings);
  });

  router.post('/mail/test', requireAdmin, async (request, response) => {
    if (!options.mail.enabled) throw new ApiError('mail_not_configured');
    const admin = memberOf(request);
    const id = await options.mail.send(testMail({ to: admin.email, name: admin.name, locale: requestLocale(request), appUrl: options.linkBase(request) }), 'test');
    response.status(202).json({ id, to: admin.email });
  });

  return router;
}
