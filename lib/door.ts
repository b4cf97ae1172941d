import type { z } from 'zod';
import type { Db } from '@/db/client';
import { fieldErrorsOf, REFUSAL, type ActionResult } from '@/lib/action-result';
import {
  isCompanyActor,
  isSupport,
  NotFoundError,
  type Actor,
  type CompanyActor,
} from '@/lib/auth/actor';
import { writeAudit, type AuditWriter } from '@/lib/audit';
import { log } from '@/lib/log';
import { asSystem, inCompany } from '@/lib/tenancy';

/**
 * The one door every server action and every page's read goes through (docs/architecture.md,
 * "One door per kind of work"):
 *   actor (re-read by the caller) → role → zod → one transaction (company-confined, or the
 *   named system door for support) → the handler, with an audit writer bound to that transaction.
 * A refusal is logged and thrown as NotFoundError: the caller answers 404, never 403.
 * The result is a plain function `(db, actor, input)`, so pages, tests and scripts call the
 * same thing a form does. Reads (`companyRead`, `supportRead`) take the same path without the
 * audit writer, and refuse an input their schema does not accept: a malformed id is not found.
 */

type CompanyRole = CompanyActor['role'];

/** `now` is the action's clock: tests pass one; forms never do. */
export type Operation<T> = (
  db: Db,
  actor: Actor | null,
  input?: unknown,
  now?: Date,
) => Promise<ActionResult<T>>;

type Context<A extends Actor, I> = {
  /** The transaction; every read and write of the action goes through it. */
  tx: Db;
  actor: A;
  input: I;
  now: Date;
  /**
   * An audit row in this transaction: the change and its audit land together or not at all. The
   * details are those of the action's schema (lib/audit-actions.ts), checked as the row is written.
   */
  audit: AuditWriter;
};

export type CompanyContext<I> = Context<CompanyActor, I> & { companyId: string };
export type SupportContext<I> = Context<Actor & { role: 'support' }, I>;

type Schema = z.ZodType | undefined;
type InputOf<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** One operation the door made, as the registry keeps it. */
export type DoorEntry = {
  kind:
    | 'companyAction'
    | 'companyActionInSteps'
    | 'supportAction'
    | 'supportActionInSteps'
    | 'companyRead'
    | 'supportRead'
    | 'action';
  /** The company roles it admits; `['support']` for a support door. */
  roles: readonly (CompanyRole | 'support')[];
  input: z.ZodType | undefined;
  run: Operation<unknown> | Read<unknown>;
};

/**
 * Every action and read the door has made, by name: an operation records itself when its module
 * is loaded (an action built from a mailer, when it is built). The hostile-input test
 * (tests/integration/hostile-inputs.test.ts) takes every one of them from here.
 */
export const doorRegistry = new Map<string, DoorEntry>();

function register(name: string, entry: DoorEntry) {
  doorRegistry.set(name, entry);
}

/**
 * An action that cannot be built through the door — the second sign-in step and the two-step
 * setup run for a person who is only half signed in, with no company transaction to confine them
 * to — registered all the same, so the hostile-input test drives it: `run` is its lib operation as
 * an `Operation` (the actor the test signs in as its person), checking `input` itself.
 */
export function registerOperation(
  name: string,
  entry: { kind: 'action'; roles: DoorEntry['roles']; input: z.ZodType; run: Operation<unknown> },
) {
  register(name, entry);
}

/** The refusal every action gives a caller who may not act: logged, then 404. */
export function refuse(actor: Actor | null, action: string, companyId?: string): never {
  log.warn('action_refused', {
    action,
    userId: actor?.userId ?? null,
    role: actor?.role ?? null,
    actorCompanyId: actor?.companyId ?? null,
    targetCompanyId: companyId ?? null,
  });
  throw new NotFoundError();
}

/** Where in a posted value a NUL character sits (PostgreSQL refuses it in text: 22021), if anywhere. */
function nulAt(value: unknown, at: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at : undefined;
  if (!value || typeof value !== 'object' || depth > 8) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const found = nulAt(v, [...at, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function parse<S extends Schema>(
  schema: S,
  raw: unknown,
): { ok: true; input: InputOf<S> } | { ok: false; result: ActionResult<never> } {
  if (!schema) return { ok: true, input: undefined as InputOf<S> };
  // Checked where it enters, for every field at once: a NUL never reaches a query.
  const nul = nulAt(raw);
  if (nul)
    return {
      ok: false,
      result: {
        ok: false,
        message: REFUSAL.invalid,
        fieldErrors: {
          [nul.join('.') || '_form']: 'Feltet indeholder et tegn, der ikke er tilladt.',
        },
      },
    };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data as InputOf<S> };
  return {
    ok: false,
    result: {
      ok: false,
      message: REFUSAL.invalid,
      fieldErrors: fieldErrorsOf(parsed.error.issues),
    },
  };
}

/**
 * A company action that must not hold a transaction across slow outside work (a mail to
 * Resend): the same checks as `companyAction`, but the handler gets `step(fn)`, which runs `fn`
 * in its own short company-confined transaction with an audit writer bound to it. Commit what
 * must hold before the outside call, call, then record the outcome in a second step.
 */
export type StepContext<I> = Omit<CompanyContext<I>, 'tx' | 'audit'> & {
  step: <R>(fn: (tx: Db, audit: CompanyContext<I>['audit']) => Promise<R>) => Promise<R>;
  /** The pool, for domain work that opens its own inCompany transactions (an order type's name sync). */
  pool: Db;
  /** An audit writer bound to a transaction the domain work opened itself (a replay's intake transaction). */
  auditIn: (tx: Db) => CompanyContext<I>['audit'];
};

export function companyActionInSteps<S extends Schema, T = undefined>(
  def: { name: string; roles: readonly CompanyRole[]; input?: S },
  handler: (ctx: StepContext<InputOf<S>>) => Promise<ActionResult<T>>,
): Operation<T> {
  const op: Operation<T> = async (db, actor, raw, now = new Date()) => {
    if (!isCompanyActor(actor) || !def.roles.includes(actor.role)) refuse(actor, def.name);
    const parsed = parse(def.input, raw);
    if (!parsed.ok) return parsed.result;
    const companyId = actor.companyId;
    const auditIn =
      (tx: Db): CompanyContext<InputOf<S>>['audit'] =>
      (action, details, target = companyId) =>
        writeAudit(tx, actor, target, action, details);
    return handler({
      actor,
      companyId,
      input: parsed.input as InputOf<S>,
      now,
      pool: db,
      auditIn,
      step: (fn) => inCompany(db, companyId, (tx) => fn(tx, auditIn(tx))),
    });
  };
  register(def.name, { kind: 'companyActionInSteps', roles: def.roles, input: def.input, run: op });
  return op;
}

/** An action of a company's own admins (and members, where `roles` says so), confined to that company: one step. */
export function companyAction<S extends Schema, T = undefined>(
  def: { name: string; roles: readonly CompanyRole[]; input?: S },
  handler: (ctx: CompanyContext<InputOf<S>>) => Promise<ActionResult<T>>,
): Operation<T> {
  const op = companyActionInSteps(def, ({ step, actor, companyId, input, now }) =>
    step((tx, audit) => handler({ actor, companyId, input, now, tx, audit })),
  );
  register(def.name, { kind: 'companyAction', roles: def.roles, input: def.input, run: op });
  return op;
}

/**
 * A support action that must not hold a transaction across slow outside work (an invitation to
 * Resend): the same checks as `supportAction`, but the handler gets `step(fn)`, each step its own
 * short transaction through the named system door, with an audit writer bound to it.
 */
export type SupportStepContext<I> = Omit<SupportContext<I>, 'tx' | 'audit'> & {
  step: <R>(fn: (tx: Db, audit: SupportContext<I>['audit']) => Promise<R>) => Promise<R>;
};

export function supportActionInSteps<S extends Schema, T = undefined>(
  def: { name: string; input?: S },
  handler: (ctx: SupportStepContext<InputOf<S>>) => Promise<ActionResult<T>>,
): Operation<T> {
  const op: Operation<T> = async (db, actor, raw, now = new Date()) => {
    if (!isSupport(actor)) refuse(actor, def.name);
    const parsed = parse(def.input, raw);
    if (!parsed.ok) return parsed.result;
    return handler({
      actor,
      input: parsed.input as InputOf<S>,
      now,
      step: (fn) =>
        asSystem(db, 'support', (tx) =>
          fn(tx, (action, details, target = null) =>
            writeAudit(tx, actor, target, action, details),
          ),
        ),
    });
  };
  register(def.name, {
    kind: 'supportActionInSteps',
    roles: ['support'],
    input: def.input,
    run: op,
  });
  return op;
}

/** An action of Kladde's support staff, who belong to no company: the named system door, one step. */
export function supportAction<S extends Schema, T = undefined>(
  def: { name: string; input?: S },
  handler: (ctx: SupportContext<InputOf<S>>) => Promise<ActionResult<T>>,
): Operation<T> {
  const op = supportActionInSteps(def, ({ step, ...ctx }) =>
    step((tx, audit) => handler({ ...ctx, tx, audit })),
  );
  register(def.name, { kind: 'supportAction', roles: ['support'], input: def.input, run: op });
  return op;
}

/** A read for a page or a route: `(db, actor, input)` → what it shows; refused → NotFoundError. */
export type Read<T> = (db: Db, actor: Actor | null, input?: unknown, now?: Date) => Promise<T>;

type ReadContext<A extends Actor, I> = Omit<Context<A, I>, 'audit'>;

function readInput<S extends Schema>(
  schema: S,
  raw: unknown,
  actor: Actor | null,
  name: string,
): InputOf<S> {
  const parsed = parse(schema, raw);
  if (!parsed.ok) refuse(actor, name);
  return parsed.input;
}

/** A read of a company's own people (the roles given), confined to that company: one transaction. */
export function companyRead<S extends Schema, T>(
  def: { name: string; roles: readonly CompanyRole[]; input?: S },
  handler: (ctx: ReadContext<CompanyActor, InputOf<S>> & { companyId: string }) => Promise<T>,
): Read<T> {
  const read: Read<T> = async (db, actor, raw, now = new Date()) => {
    if (!isCompanyActor(actor) || !def.roles.includes(actor.role)) refuse(actor, def.name);
    const input = readInput<S>(def.input as S, raw, actor, def.name);
    const companyId = actor.companyId;
    return inCompany(db, companyId, (tx) => handler({ tx, actor, companyId, input, now }));
  };
  register(def.name, { kind: 'companyRead', roles: def.roles, input: def.input, run: read });
  return read;
}

/** A read of Kladde's support staff: the named system door, one transaction. */
export function supportRead<S extends Schema, T>(
  def: { name: string; input?: S },
  handler: (ctx: ReadContext<Actor & { role: 'support' }, InputOf<S>>) => Promise<T>,
): Read<T> {
  const read: Read<T> = async (db, actor, raw, now = new Date()) => {
    if (!isSupport(actor)) refuse(actor, def.name);
    const input = readInput<S>(def.input as S, raw, actor, def.name);
    return asSystem(db, 'support', (tx) => handler({ tx, actor, input, now }));
  };
  register(def.name, { kind: 'supportRead', roles: ['support'], input: def.input, run: read });
  return read;
}
