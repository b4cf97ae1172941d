import { clockColumns } from './clocks';
import { and, asc, eq, gt, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, orders, scalepointMails, scalepointSettings, users } from '@/db/schema';
import { mailOutcomeColumns, type Mailer, type MailOutcome } from '@/lib/email';
import { env } from '@/lib/env';
import { formatDateTime } from '@/lib/format';
import { errorFields, log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { danishClock, earliestOpenClock, LATE_MAIL_HOUR, lateMailMorning } from './rules';
import { clockLabel, composeLateMail, lateCaseLabel } from './words';

/**
 * The morning mail Forsinkede sager (docs/deadlines.md): from 07:00 Danish time, once per Danish
 * day, each company whose module is on and that has a case past its Frist gets one mail to each
 * of its active admins, listing those cases with links. Run by the deadlines sweep (sweep.ts) on
 * every instance; at most once a day holds in the database, not in a lease:
 *
 * 1. The claim, one short transaction per company: one UPDATE sets the settings row's
 *    late_mail_on to today where it is null or an earlier day (and the module is on and a case is
 *    overdue) — two instances racing for it queue on the row and the second finds it taken — and
 *    in the same transaction one scalepoint_mails row per admin is written as 'sending', with the
 *    composed text and the idempotency key `kladde-late-cases/{company}/{day}/{address}`.
 * 2. Then, with no transaction open, each row is sent through the Mailer and its outcome recorded.
 * 3. A row of today still 'sending' after LATE_MAIL_GRACE_MS (the process died between 1 and 2)
 *    is sent again by a later run with the same key and text, which Resend drops if the first
 *    send did reach it; one of an earlier day is recorded as failed instead (that day's mail is over).
 */

/** At most this many cases are listed; the rest are counted (`… og 12 sager mere`). */
export const LATE_MAIL_MAX_CASES = 50;
/** A late_cases row still 'sending' this long after its claim is sent again. */
export const LATE_MAIL_GRACE_MS = 5 * 60_000;
/** How far back an unfinished row is looked for (a longer stop leaves it 'sending'). */
const LOOKBACK_DAYS = 7;
/** Companies claimed per candidate read; the read is repeated after the last one. */
const CHUNK = 200;

/** What one run did: companies whose day it claimed, mails it handed to the Mailer (retries included). */
export type LateMailRun = { companies: number; mails: number; resent: number };

type PendingMail = {
  id: string;
  companyId: string;
  toAddress: string;
  subject: string;
  body: string;
  idempotencyKey: string;
};

/**
 * The morning mail's run, for the deadlines sweep: `lateMailer(mailer, now)(db)` does steps 3,
 * then (from 07:00 Danish time at `now()`) 1 and 2 for every company due, and answers what it
 * did. Call it with the pool: it opens its own short transactions (the system door, reason
 * `deadlines`) and holds none while the Mailer waits on Resend.
 */
export function lateMailer(mailer: Mailer, now: () => Date = () => new Date()) {
  return async (db: Db): Promise<LateMailRun> => {
    const at = now();
    const today = danishClock(at).day;
    const run: LateMailRun = { companies: 0, mails: 0, resent: 0 };

    // Rows a dead process claimed and never sent, first: they are older than this run's claims.
    for (const mail of await unfinished(db, at)) {
      if (danishClock(mail.createdAt).day !== today) {
        await record(db, mail.id, {
          status: 'failed',
          error:
            'Ikke sendt: Kladde stoppede før afsendelsen, og dagen var gået, da den kom op igen.',
        });
        continue;
      }
      if (await deliver(db, mailer, mail)) run.resent++;
    }

    if (danishClock(at).hour < LATE_MAIL_HOUR) return run;
    // Overdue at 07:00: what passes its Frist later today is tomorrow's.
    const overdueBefore = lateMailMorning(at);

    let after: string | null = null;
    for (;;) {
      const candidates = await asSystem(db, 'deadlines', (tx) =>
        tx
          .select({ companyId: scalepointSettings.companyId })
          .from(scalepointSettings)
          .where(
            and(
              mailDue(overdueBefore, today),
              after ? gt(scalepointSettings.companyId, after) : undefined,
            ),
          )
          .orderBy(asc(scalepointSettings.companyId))
          .limit(CHUNK),
      );
      for (const { companyId } of candidates) {
        const claimed = await claimDay(db, companyId, { at, overdueBefore, today });
        if (!claimed) continue; // another instance has it, or the last case was dealt with meanwhile
        run.companies++;
        for (const mail of claimed) if (await deliver(db, mailer, mail)) run.mails++;
      }
      if (candidates.length < CHUNK) break;
      after = candidates[candidates.length - 1]!.companyId;
    }
    if (run.companies || run.resent) log.info('scalepoint_late_mail_run', run);
    return run;
  };
}

const timestamp = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * A settings row whose day's mail is due: the module on (the company not deactivated, as
 * getSettings reads it), not yet mailed today, and a draft or an order past its Frist — each
 * list's test on its own partial deadline index (migration 0020).
 */
function mailDue(at: Date, today: string): SQL {
  const late = (statuses: string) =>
    sql`exists (select 1 from orders o where o.company_id = scalepoint_settings.company_id and ${sql.raw(statuses)} and o.deadline_at < ${timestamp(at)})`;
  return sql`scalepoint_settings.enabled
    and (scalepoint_settings.late_mail_on is null or scalepoint_settings.late_mail_on < ${today}::date)
    and exists (select 1 from companies c where c.id = scalepoint_settings.company_id and c.deactivated_at is null)
    and (${late(`o.status = 'draft'`)} or ${late(`o.status in ('new', 'in_progress', 'closed')`)})`;
}

/**
 * Step 1 for one company: the day claimed and its mails written as 'sending', in one
 * transaction. Null when the UPDATE found the day taken (or nothing due any more).
 */
async function claimDay(
  db: Db,
  companyId: string,
  { at, overdueBefore, today }: { at: Date; overdueBefore: Date; today: string },
): Promise<PendingMail[] | null> {
  return asSystem(db, 'deadlines', async (tx) => {
    const won = await tx
      .update(scalepointSettings)
      .set({ lateMailOn: today })
      .where(and(eq(scalepointSettings.companyId, companyId), mailDue(overdueBefore, today)))
      .returning({ companyId: scalepointSettings.companyId });
    if (won.length === 0) return null;

    const [company] = await tx
      .select({ name: companies.name })
      .from(companies)
      .where(eq(companies.id, companyId));
    const admins = await tx
      .select({ email: users.email })
      .from(users)
      .where(
        and(eq(users.companyId, companyId), eq(users.role, 'admin'), eq(users.status, 'active')),
      )
      .orderBy(asc(users.email));
    if (!company || admins.length === 0) return [];

    const { cases, total } = await lateCases(tx, companyId, overdueBefore);
    const e = env();
    const mail = composeLateMail({
      companyName: company.name,
      appUrl: e.appUrl,
      cases: cases.map((c) => ({
        id: c.id,
        label: lateCaseLabel(c),
        deadline: formatDateTime(c.deadlineAt),
        clock: clockLabel[earliestOpenClock(c)?.kind ?? 'contact'],
      })),
      more: total - cases.length,
    });
    return tx
      .insert(scalepointMails)
      .values(
        admins.map((a) => ({
          companyId,
          kind: 'late_cases' as const,
          toAddress: a.email,
          subject: mail.subject,
          body: mail.text,
          status: 'sending' as const,
          idempotencyKey: `kladde-late-cases/${companyId}/${today}/${a.email}`,
          createdAt: at,
        })),
      )
      .returning({
        id: scalepointMails.id,
        companyId: scalepointMails.companyId,
        toAddress: scalepointMails.toAddress,
        subject: scalepointMails.subject,
        body: scalepointMails.body,
        idempotencyKey: scalepointMails.idempotencyKey,
      });
  });
}

const caseColumns = {
  id: orders.id,
  orderNumber: orders.orderNumber,
  heading: orders.heading,
  customerName: orders.customerName,
  deadlineAt: orders.deadlineAt,
  ...clockColumns,
  total: sql<number>`count(*) over ()`.mapWith(Number),
};

/**
 * The company's overdue drafts and orders, oldest Frist first, at most LATE_MAIL_MAX_CASES, and
 * how many there are in all: one read per list, each on its deadline index, merged here.
 */
async function lateCases(tx: Db, companyId: string, at: Date) {
  const list = (statuses: SQL) =>
    tx
      .select(caseColumns)
      .from(orders)
      .where(and(eq(orders.companyId, companyId), statuses, lt(orders.deadlineAt, at)))
      .orderBy(asc(orders.deadlineAt), asc(orders.id))
      .limit(LATE_MAIL_MAX_CASES);
  const drafts = await list(sql`${orders.status} = 'draft'`);
  const approved = await list(sql`${orders.status} in ('new', 'in_progress', 'closed')`);
  const total = (drafts[0]?.total ?? 0) + (approved[0]?.total ?? 0);
  const cases = [...drafts, ...approved]
    .map((c) => ({ ...c, deadlineAt: c.deadlineAt! }))
    .sort(
      (a, b) =>
        a.deadlineAt.getTime() - b.deadlineAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, LATE_MAIL_MAX_CASES);
  return { cases, total };
}

/**
 * Step 3's rows: late_cases mails still 'sending' past the grace, of the companies mailed in the
 * last week (through scalepoint_mails_company_idx, so the whole mail log is never read).
 */
function unfinished(db: Db, at: Date) {
  const since = new Date(at.getTime() - LOOKBACK_DAYS * 86_400_000);
  return asSystem(db, 'deadlines', (tx) =>
    tx
      .select({
        id: scalepointMails.id,
        companyId: scalepointMails.companyId,
        toAddress: scalepointMails.toAddress,
        subject: scalepointMails.subject,
        body: scalepointMails.body,
        idempotencyKey: scalepointMails.idempotencyKey,
        createdAt: scalepointMails.createdAt,
      })
      .from(scalepointSettings)
      .innerJoin(scalepointMails, eq(scalepointMails.companyId, scalepointSettings.companyId))
      .where(
        and(
          gte(scalepointSettings.lateMailOn, danishClock(since).day),
          gt(scalepointMails.createdAt, since),
          lt(scalepointMails.createdAt, new Date(at.getTime() - LATE_MAIL_GRACE_MS)),
          eq(scalepointMails.kind, 'late_cases'),
          eq(scalepointMails.status, 'sending'),
        ),
      )
      .orderBy(asc(scalepointMails.createdAt))
      .limit(500),
  );
}

/**
 * Step 2: one mail through the Mailer (no transaction open), its outcome recorded on its row.
 * A Mailer that throws (it should answer with a value) leaves the row 'sending' for step 3.
 * Returns whether the Mailer answered.
 */
async function deliver(db: Db, mailer: Mailer, mail: PendingMail): Promise<boolean> {
  let outcome: MailOutcome;
  try {
    outcome = await mailer({
      from: env().mailFrom,
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.body,
      idempotencyKey: mail.idempotencyKey,
    });
  } catch (e) {
    log.warn('scalepoint_late_mail_threw', { companyId: mail.companyId, ...errorFields(e) });
    return false;
  }
  await record(db, mail.id, {
    ...mailOutcomeColumns(outcome),
  });
  log.info('scalepoint_late_mail', { companyId: mail.companyId, status: outcome.status });
  return true;
}

/** An outcome on its row; a row already recorded as sent stays sent (a repeat's answer never undoes it). */
function record(
  db: Db,
  id: string,
  outcome: {
    status: 'sent' | 'not_sent' | 'failed';
    providerId?: string | null;
    error: string | null;
  },
) {
  return asSystem(db, 'deadlines', (tx) =>
    tx
      .update(scalepointMails)
      .set({ status: outcome.status, providerId: outcome.providerId ?? null, error: outcome.error })
      .where(and(eq(scalepointMails.id, id), ne(scalepointMails.status, 'sent'))),
  );
}
