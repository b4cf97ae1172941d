import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonPasswordCount, isCommonPassword } from '@/lib/auth/common-passwords';
import {
  PASSWORD_EMPTY,
  PASSWORD_IS_EMAIL,
  PASSWORD_TOO_COMMON,
  PASSWORD_TOO_LONG,
  PASSWORD_TOO_SHORT,
  REPEAT_EMPTY,
  REPEAT_MISMATCH,
  addNewPasswordIssues,
  checkNewPassword,
} from '@/lib/auth/password-schema';

const LIST_FILE = path.resolve(import.meta.dirname, '../../lib/auth/common-passwords.txt');
const listText = readFileSync(LIST_FILE, 'utf8');
const lines = listText.split('\n');
const header = lines.filter((l) => l.startsWith('#'));
const entries = lines.filter((l) => l !== '' && !l.startsWith('#'));

const EMAIL = 'Hanne.Jensen@firma.dk';
const STRONG = 'blå tekande under broen';

const check = (password: string, email = EMAIL) =>
  checkNewPassword(password, email, isCommonPassword);

/** A form schema as the invitation, reset and change forms build it, with the server's list. */
const formSchema = (email: string) =>
  z
    .object({ password: z.string(), repeat: z.string() })
    .superRefine((v, ctx) => addNewPasswordIssues(ctx, { ...v, email }, isCommonPassword));

const issues = (email: string, input: { password: string; repeat: string }) => {
  const r = formSchema(email).safeParse(input);
  return r.success
    ? []
    : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('the list of common passwords (lib/auth/common-passwords.txt)', () => {
  it('holds exactly 10,000 passwords, lower-cased, each once, most common first', () => {
    expect(entries).toHaveLength(10_000);
    expect(new Set(entries).size).toBe(10_000);
    expect(entries.filter((e) => e !== e.toLowerCase() || e !== e.trim())).toEqual([]);
    expect(entries.slice(0, 4)).toEqual(['123456', 'password', '12345678', 'qwerty']);
    expect(commonPasswordCount()).toBe(10_000);
  });

  it('names its source and its licence in the header', () => {
    const text = header.join('\n');
    expect(text).toContain('@zxcvbn-ts/language-common');
    expect(text).toMatch(/Licence: MIT/);
    expect(text).toContain('Permission is hereby granted, free of charge');
    expect(text).toContain('Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.');
  });

  it('is what isCommonPassword answers from, ignoring case and surrounding spaces', () => {
    expect(isCommonPassword('password123')).toBe(true);
    expect(isCommonPassword('PassWord123')).toBe(true);
    expect(isCommonPassword(' qwertyuiop ')).toBe(true);
    expect(isCommonPassword(entries[9_999]!)).toBe(true);
    expect(isCommonPassword(STRONG)).toBe(false);
    // A header line is not a password.
    expect(isCommonPassword(header[0]!)).toBe(false);
  });
});

describe('checkNewPassword', () => {
  it('refuses common passwords of allowed length, in any case', () => {
    // Both are in the list and long enough, so only the list refuses them.
    expect(entries).toContain('password123');
    expect(entries).toContain('qwertyuiop');
    expect(check('password123')).toBe(PASSWORD_TOO_COMMON);
    expect(check('Password123')).toBe(PASSWORD_TOO_COMMON);
    expect(check('QWERTYUIOP')).toBe(PASSWORD_TOO_COMMON);
    expect(check('1234567890')).toBe(PASSWORD_TOO_COMMON);
  });

  it('lets the browser (no list) through with a common password, the server not', () => {
    expect(checkNewPassword('password123', EMAIL)).toBeNull();
    expect(checkNewPassword('password123', EMAIL, isCommonPassword)).toBe(PASSWORD_TOO_COMMON);
  });

  it('wants at least 10 characters and at most 200', () => {
    expect(check('')).toBe(PASSWORD_EMPTY);
    expect(check('kxv9-Tq#w')).toBe(PASSWORD_TOO_SHORT); // 9
    expect(check('kxv9-Tq#wz')).toBeNull(); // 10
    expect(check('x'.repeat(200))).toBeNull();
    expect(check('x'.repeat(201))).toBe(PASSWORD_TOO_LONG);
    // Characters, not UTF-16 units: 9 emoji are 18 units but still 9 characters.
    expect(check('🔑'.repeat(9))).toBe(PASSWORD_TOO_SHORT);
    expect(check('🔑'.repeat(10))).toBeNull();
  });

  it("refuses the user's e-mail and its part before the @, ignoring case and spaces", () => {
    expect(check('hanne.jensen')).toBe(PASSWORD_IS_EMAIL);
    expect(check('HANNE.JENSEN@FIRMA.DK')).toBe(PASSWORD_IS_EMAIL);
    expect(check('  Hanne.Jensen@firma.dk ')).toBe(PASSWORD_IS_EMAIL);
    expect(check('hanne.jensen', '  HANNE.JENSEN@FIRMA.DK  ')).toBe(PASSWORD_IS_EMAIL);
    // Only the whole address or the whole local part; the same password for another user is fine.
    expect(check('hanne.jensen1')).toBeNull();
    expect(check('hanne.jensen', 'per.hansen@firma.dk')).toBeNull();
    // An empty e-mail (not known yet) refuses nothing on its account.
    expect(check('hanne.jensen', '')).toBeNull();
  });

  it('accepts a strong passphrase', () => {
    expect(check(STRONG)).toBeNull();
    expect(check('Korrekt Hest Batteri Hæfteklamme')).toBeNull();
  });
});

describe('addNewPasswordIssues in a form schema', () => {
  it('passes a good password repeated', () => {
    expect(issues(EMAIL, { password: STRONG, repeat: STRONG })).toEqual([]);
    expect(formSchema(EMAIL).parse({ password: STRONG, repeat: STRONG })).toEqual({
      password: STRONG,
      repeat: STRONG,
    });
  });

  it('puts a mismatch at repeat, and an empty repeat too', () => {
    expect(issues(EMAIL, { password: STRONG, repeat: `${STRONG}!` })).toEqual([
      { path: 'repeat', message: REPEAT_MISMATCH },
    ]);
    expect(issues(EMAIL, { password: STRONG, repeat: '' })).toEqual([
      { path: 'repeat', message: REPEAT_EMPTY },
    ]);
  });

  it("puts the password's reason at password, with the repeat's beside it", () => {
    expect(issues(EMAIL, { password: 'password123', repeat: 'password123' })).toEqual([
      { path: 'password', message: PASSWORD_TOO_COMMON },
    ]);
    expect(issues(EMAIL, { password: 'hanne.jensen', repeat: 'hanne.jensen' })).toEqual([
      { path: 'password', message: PASSWORD_IS_EMAIL },
    ]);
    expect(issues(EMAIL, { password: 'kort', repeat: 'andet' })).toEqual([
      { path: 'password', message: PASSWORD_TOO_SHORT },
      { path: 'repeat', message: REPEAT_MISMATCH },
    ]);
    expect(issues(EMAIL, { password: '', repeat: '' })).toEqual([
      { path: 'password', message: PASSWORD_EMPTY },
      { path: 'repeat', message: REPEAT_EMPTY },
    ]);
  });

  it('says it in Danish', () => {
    expect([
      PASSWORD_TOO_SHORT,
      PASSWORD_TOO_LONG,
      PASSWORD_TOO_COMMON,
      PASSWORD_IS_EMAIL,
      REPEAT_MISMATCH,
    ]).toEqual([
      'Adgangskoden skal være mindst 10 tegn.',
      'Adgangskoden må højst være 200 tegn.',
      'Adgangskoden er for almindelig. Vælg en, der er sværere at gætte.',
      'Adgangskoden må ikke være din e-mail.',
      'Adgangskoderne er ikke ens.',
    ]);
  });
});
