/** The administrators' view of e-mail: whether it goes out, a test message, and the last failures. */
import express from 'express';
import type { MailFailure, MailSettings } from '@passerelle/shared';
import type { MailService } from '../mail/mail-service.js';
import { testMail } from '../mail/messages.js';
import type { MailOutbox } from '../store/account-store.js';
import { ApiError, requestLocale } from './errors.js';
import { memberOf, requireAdmin } from './guards.js';

/** Failures listed: enough to see a pattern (one address, one kind, everything). */
const FAILURES_LISTED = 50;

export function createMailRoutes(options: { mail: MailService; outbox: MailOutbox; from: string | null; linkBase: (request: express.Request) => string }): express.Router {
  const router = express.Router();

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
