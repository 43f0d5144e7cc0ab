/**
 * Passwords: a signed-in person changes theirs (the current one required), and a forgotten one is
 * reset through a single-use link sent by e-mail. Rules and reasons: docs/security.md.
 */
import express, { type Request, type Response } from 'express';
import { ChangePasswordRequest, PasswordResetConfirmRequest, PasswordResetRequest, pickLocale } from '@passerelle/shared';
import type { LiveAccess } from '../access/live-access.js';
import type { AuthService } from '../auth/auth-service.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { PasswordResets, ResetLimiter } from '../auth/password-reset.js';
import type { MailService } from '../mail/mail-service.js';
import { passwordResetMail } from '../mail/messages.js';
import type { PeopleStore } from '../store/account-store.js';
import type { Audit } from './audit.js';
import { ApiError, parseBody } from './errors.js';
import { requireMember } from './guards.js';

export interface PasswordRoutesOptions {
  auth: AuthService;
  people: PeopleStore;
  audit: Audit;
  live: LiveAccess;
  loginLimiter: LoginLimiter;
  resetLimiter: ResetLimiter;
  resets: PasswordResets;
  mail: MailService;
  /** The public base URL for links in e-mail. */
  linkBase: (request: Request) => string;
  /** Runs the work that follows an answer already sent; its failure is logged. */
  background: (work: Promise<unknown>, what: string) => void;
  /** `AUTH_REQUIRE_SSO`: only the break-glass administrator has a password to reset. */
  requireSso: { breakGlassEmail: string } | null;
}

export function createPasswordRoutes(options: PasswordRoutesOptions): express.Router {
  const { auth, people, audit, live, mail, resets } = options;
  // The same rule as password sign-in: with single sign-on required, a password serves no one else.
  const passwordRefused = (email: string) => options.requireSso !== null && email !== options.requireSso.breakGlassEmail;
  const router = express.Router();

  // Whether a forgotten password can be reset here: the sign-in page offers it only then.
  router.get('/auth/password-reset', (_request, response) => {
    response.json({ available: mail.enabled });
  });

  // Always 202, whether or not the address has an account, and before anything is looked up or
  // sent: neither the answer nor its timing tells who has an account.
  router.post('/auth/password-reset', async (request: Request, response: Response) => {
    const { email } = parseBody(PasswordResetRequest, request.body);
    const wait = await options.resetLimiter.attempt(email, request.ip ?? 'unknown');
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ApiError('too_many_attempts');
    }
    response.status(202).end();
    if (!mail.enabled) return;
    const base = options.linkBase(request);
    const browserLocale = pickLocale(request.headers['accept-language'], 'en');
    options.background(
      (async () => {
        if (passwordRefused(email)) {
          await audit.record(request, 'password_reset_requested', { actor: null, target: email, details: { refused: 'sso_required' } });
          return;
        }
        const issued = await resets.issue(email);
        await audit.record(request, 'password_reset_requested', { actor: issued?.user ?? null, target: email, details: { account: issued !== null } });
        if (!issued) return;
        const message = passwordResetMail({
          to: issued.user.email,
          name: issued.user.name,
          locale: issued.locale ?? browserLocale,
          resetUrl: `${base}/reset?token=${encodeURIComponent(issued.secret)}`,
          appUrl: base,
        });
        await mail.send(message, 'password_reset');
      })(),
      'password reset e-mail',
    );
  });

  router.post('/auth/password-reset/confirm', async (request: Request, response: Response) => {
    const input = parseBody(PasswordResetConfirmRequest, request.body);
    const user = await resets.redeem(input.token);
    if (!user) throw new ApiError('reset_link_invalid');
    if (passwordRefused(user.email)) throw new ApiError('sso_required');
    await people.setPasswordHash(user.id, await auth.hashPassword(input.password));
    // Whoever knew the old password, or holds a session opened with it, is out.
    await people.deleteSessionsOf(user.id);
    live.end({ member: user.id }, 'revoked');
    await audit.record(request, 'password_reset', { actor: user, target: user.email });
    response.status(204).end();
  });

  router.post('/auth/password', requireMember, async (request: Request, response: Response) => {
    const input = parseBody(ChangePasswordRequest, request.body);
    const principal = request.principal;
    // Only from a session: an API token proves no knowledge of the password and must not change it.
    if (principal?.kind !== 'member' || principal.via !== 'session' || !principal.sessionHash) throw new ApiError('forbidden');
    // Guessing the current password from a stolen session is throttled like signing in.
    const attempt = await options.loginLimiter.attempt(principal.user.email, request.ip ?? 'unknown');
    if (attempt.wait > 0) {
      response.setHeader('Retry-After', String(attempt.wait));
      throw new ApiError('too_many_attempts');
    }
    const checked = await auth.checkPassword(principal.user.email, input.currentPassword);
    if (!checked) throw new ApiError('invalid_credentials');
    await options.loginLimiter.recordSuccess(attempt);
    await people.setPasswordHash(principal.id, await auth.hashPassword(input.newPassword));
    // Every other session ends; this one goes on.
    const sessionHash = principal.sessionHash;
    await people.deleteSessionsOf(principal.id, { except: sessionHash });
    live.end({ member: principal.id, exceptSession: sessionHash }, 'revoked');
    await audit.record(request, 'password_changed', { target: principal.user.email });
    response.status(204).end();
  });

  return router;
}
