/** The zod schemas that validate API request bodies at the server's edge. */
import { describe, expect, it } from 'vitest';
import { BoardTitle, CreateBoardRequest, CreateUserRequest, LoginRequest, SetupRequest, UpdateMeRequest } from '../../shared/src/index.js';

const validSetup = { token: 'setup-token', email: 'admin@example.org', password: 'correct horse', name: 'Admin' };

describe('LoginRequest', () => {
  it('trims and lowercases the email', () => {
    const parsed = LoginRequest.parse({ email: '  Camille.Martin@Univ-Example.FR ', password: 'x' });
    expect(parsed.email).toBe('camille.martin@univ-example.fr');
  });

  it('rejects a string that is not an email', () => {
    expect(LoginRequest.safeParse({ email: 'camille', password: 'x' }).success).toBe(false);
    expect(LoginRequest.safeParse({ email: '   ', password: 'x' }).success).toBe(false);
  });

  it('rejects an email longer than 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.org`;
    expect(email.length).toBeGreaterThan(254);
    expect(LoginRequest.safeParse({ email, password: 'x' }).success).toBe(false);
  });

  it('requires a non-empty password but not a long one (old accounts may have short ones)', () => {
    expect(LoginRequest.safeParse({ email: 'a@example.org', password: '' }).success).toBe(false);
    expect(LoginRequest.safeParse({ email: 'a@example.org', password: 'short' }).success).toBe(true);
  });

  it('rejects missing fields', () => {
    expect(LoginRequest.safeParse({ email: 'a@example.org' }).success).toBe(false);
    expect(LoginRequest.safeParse({ password: 'x' }).success).toBe(false);
  });
});

describe('SetupRequest', () => {
  it('accepts a complete request and normalises email and name', () => {
    const parsed = SetupRequest.parse({ ...validSetup, email: ' Admin@Example.org', name: '  Admin  ' });
    expect(parsed).toEqual({ ...validSetup, email: 'admin@example.org', name: 'Admin' });
  });

  it('rejects a password under 10 characters and accepts one of exactly 10', () => {
    const short = SetupRequest.safeParse({ ...validSetup, password: '123456789' });
    expect(short.success).toBe(false);
    expect(short.error?.issues.map((issue) => issue.path)).toEqual([['password']]);
    expect(SetupRequest.safeParse({ ...validSetup, password: '1234567890' }).success).toBe(true);
  });

  it('rejects a password over 256 characters', () => {
    expect(SetupRequest.safeParse({ ...validSetup, password: 'p'.repeat(257) }).success).toBe(false);
  });

  it('rejects an empty token and a blank name', () => {
    expect(SetupRequest.safeParse({ ...validSetup, token: '' }).success).toBe(false);
    expect(SetupRequest.safeParse({ ...validSetup, name: '   ' }).success).toBe(false);
  });
});

describe('CreateUserRequest and UpdateMeRequest', () => {
  it('accepts only the supported locales', () => {
    expect(CreateUserRequest.safeParse({ ...validSetup, locale: 'fr' }).success).toBe(true);
    expect(CreateUserRequest.safeParse({ ...validSetup, locale: 'de' }).success).toBe(false);
    expect(UpdateMeRequest.parse({ locale: 'en' })).toEqual({ locale: 'en' });
    expect(UpdateMeRequest.safeParse({ locale: 'EN' }).success).toBe(false);
  });
});

describe('BoardTitle', () => {
  it('trims surrounding whitespace', () => {
    expect(BoardTitle.parse('  Erasmus+ 2026 \n')).toBe('Erasmus+ 2026');
    expect(CreateBoardRequest.parse({ title: ' Partners ' })).toEqual({ title: 'Partners' });
  });

  it('rejects an empty or blank title', () => {
    expect(BoardTitle.safeParse('').success).toBe(false);
    expect(BoardTitle.safeParse(' \t ').success).toBe(false);
  });

  it('accepts 120 characters and rejects 121', () => {
    expect(BoardTitle.safeParse('t'.repeat(120)).success).toBe(true);
    expect(BoardTitle.safeParse('t'.repeat(121)).success).toBe(false);
  });

  it('measures the length after trimming', () => {
    expect(BoardTitle.parse(`  ${'t'.repeat(120)}  `)).toHaveLength(120);
  });

  it('rejects a value that is not a string', () => {
    expect(BoardTitle.safeParse(42).success).toBe(false);
    expect(CreateBoardRequest.safeParse({}).success).toBe(false);
  });
});
