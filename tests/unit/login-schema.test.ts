import { describe, expect, it } from 'vitest';
import { loginSchema } from '@/lib/auth/login-schema';

const messages = (input: unknown) => {
  const r = loginSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('loginSchema (the form and checkCredentials)', () => {
  it('trims and lower-cases the e-mail', () => {
    expect(loginSchema.parse({ email: '  Admin@Demo-VVS.dk ', password: 'demo1234' })).toEqual({
      email: 'admin@demo-vvs.dk',
      password: 'demo1234',
    });
  });

  it('says in Danish what is missing or wrong', () => {
    expect(messages({ email: ' ', password: 'x' })[0]).toBe('Skriv din e-mail.');
    expect(messages({ email: 'ikke-en-mail', password: 'x' })).toEqual([
      'Skriv en gyldig e-mailadresse.',
    ]);
    expect(messages({ email: 'a@b.dk', password: '' })).toEqual(['Skriv din adgangskode.']);
    expect(messages({ email: 'a@b.dk', password: 'x'.repeat(201) })).toEqual([
      'Forkert e-mail eller adgangskode.',
    ]);
  });
});
