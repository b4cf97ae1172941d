import { describe, expect, it } from 'vitest';
import { unixSocket } from '@/db/client';

describe('unixSocket (DATABASE_URL with ?host=/socket/dir)', () => {
  it('turns a socket directory into postgres.js path and drops the parameter', () => {
    const s = unixSocket(
      'postgres://kladde:hemmelig@localhost:5433/kladde?host=/var/run/postgresql&sslmode=disable',
    );
    expect(s.options).toEqual({ path: '/var/run/postgresql/.s.PGSQL.5433' });
    expect(s.url).toBe('postgres://kladde:hemmelig@localhost:5433/kladde?sslmode=disable');
  });

  it('uses port 5432 when the URL names none', () => {
    expect(unixSocket('postgres://kladde@localhost/kladde?host=/run/postgresql').options.path).toBe(
      '/run/postgresql/.s.PGSQL.5432',
    );
  });

  it('leaves a TCP URL, a host that is not a directory, and an unparsable URL alone', () => {
    for (const url of [
      'postgres://kladde@127.0.0.1:5432/kladde',
      'postgres://kladde@db/kladde?host=db.internal',
      'not a url',
    ]) {
      expect(unixSocket(url)).toEqual({ url, options: {} });
    }
  });
});
