import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Migration 0015 on a database that holds deliveries of both channels written under the old
 * key: the connection ids move out of account_id, and afterwards the key is the sender and the
 * message id (docs/intake.md, idempotency).
 */
const folder = path.join(process.cwd(), 'db', 'migrations');
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const statementsOf = (file: string) =>
  readFileSync(path.join(folder, file), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);

let db: PGlite;
const company = '6f1c2b1e-0000-4000-8000-000000000001';
const connA = '6f1c2b1e-0000-4000-8000-00000000000a';
const connB = '6f1c2b1e-0000-4000-8000-00000000000b';

beforeAll(async () => {
  db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  const target = files.findIndex((f) => f.startsWith('0015_'));
  expect(target).toBeGreaterThan(0);
  for (const file of files.slice(0, target))
    for (const statement of statementsOf(file)) await db.exec(statement);
  await db.query(`insert into companies (id, name, cvr) values ($1, 'Firma', '12345678')`, [
    company,
  ]);
  const row = (message: string, channel: string, account: string) =>
    db.query(
      `insert into scalepoint_deliveries (company_id, channel, webhook_id, account_id, status, raw_body, headers)
       values ($1, $2, $3, $4, 'created', '{}', '{}')`,
      [company, channel, message, account],
    );
  await row('msg_1', 'direct', 'acct-1');
  await row('evt_1', 'events', connA);
  await row('evt_2', 'events', connB);
  await row('evt_3', 'events', 'not-a-uuid');
  for (const statement of statementsOf(files[target]!)) await db.exec(statement);
});
afterAll(async () => {
  await db?.close();
});

describe('migration 0015 (delivery keys)', () => {
  it('moves the connection ids out of account_id and keeps each row', async () => {
    const { rows } = await db.query<{
      channel: string;
      message_id: string;
      account_id: string | null;
      connection_id: string | null;
    }>(
      `select channel, message_id, account_id, connection_id from scalepoint_deliveries order by message_id`,
    );
    expect(rows).toEqual([
      { channel: 'events', message_id: 'evt_1', account_id: null, connection_id: connA },
      { channel: 'events', message_id: 'evt_2', account_id: null, connection_id: connB },
      {
        channel: 'events',
        message_id: 'evt_3',
        account_id: null,
        connection_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      { channel: 'direct', message_id: 'msg_1', account_id: 'acct-1', connection_id: null },
    ]);
  });

  it('keys events by connection and direct deliveries by account, and refuses a row without its sender', async () => {
    const insert = (
      message: string,
      channel: string,
      account: string | null,
      conn: string | null,
    ) =>
      db.query(
        `insert into scalepoint_deliveries (company_id, channel, message_id, account_id, connection_id, status, raw_body, headers)
         values ($1, $2, $3, $4, $5, 'created', '{}', '{}')`,
        [company, channel, message, account, conn],
      );
    // The same event id from another connection is another delivery; from the same one, a repeat.
    await expect(insert('evt_1', 'events', null, connB)).resolves.toBeDefined();
    await expect(insert('evt_1', 'events', null, connA)).rejects.toMatchObject({ code: '23505' });
    // The same webhook-id from another account is another delivery; from the same one, a repeat.
    await expect(insert('msg_1', 'direct', 'acct-2', null)).resolves.toBeDefined();
    await expect(insert('msg_1', 'direct', 'acct-1', null)).rejects.toMatchObject({
      code: '23505',
    });
    await expect(insert('msg_9', 'direct', null, null)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('evt_9', 'events', 'acct-1', connA)).rejects.toMatchObject({
      code: '23514',
    });
  });
});
