import 'server-only';
import { revalidatePath } from 'next/cache';
import { notFound, redirect, unstable_rethrow } from 'next/navigation';
import { getDb } from '@/db';
import { REFUSAL, type ActionResult } from '@/lib/action-result';
import { NotFoundError } from '@/lib/auth/actor';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import type { Operation } from '@/lib/door';
import { errorFields, log } from '@/lib/log';
import { currentActor, sessionHasEnded, signInAgainUrl } from './auth';

/**
 * Turns a lib operation (built with `companyAction` / `supportAction` in lib/door.ts, which
 * check role, input and tenancy themselves) into a server action: the actor is re-read from
 * the database for this request, the operation runs, the named paths are revalidated.
 * A refusal becomes a 404; a database outage a plain message, never a stack trace; any other
 * error is logged as its code (never its message: drizzle's carries the query's parameters,
 * docs/security.md, "Hostile input") and answered with {@link UNEXPECTED}, never a 500.
 *
 *   export const saveThing = serverAction('thing.save', saveThingOperation, ['/things']);
 */
/** What a form shows for an error no check foresaw: in Danish, and nothing of the error itself. */
export const UNEXPECTED = 'Noget gik galt. Prøv igen.';

export function serverAction<T>(
  name: string,
  op: Operation<T>,
  revalidate: readonly string[] = [],
) {
  return async (input?: unknown): Promise<ActionResult<T>> => {
    try {
      return await op(await getDb(), await currentActor(), input);
    } catch (e) {
      // Next's own signals (a redirect, a 404, a dynamic-rendering bail-out) are not errors.
      unstable_rethrow(e);
      if (e instanceof NotFoundError) {
        // Refused for want of a session that has ended: sign in again, back to this page.
        if (await sessionHasEnded()) redirect(await signInAgainUrl());
        notFound();
      }
      if (isDatabaseUnavailable(e)) {
        log.error('action_db_unavailable', { action: name });
        return { ok: false, message: REFUSAL.databaseUnavailable };
      }
      log.error('action_failed', { action: name, ...errorFields(e) });
      return { ok: false, message: UNEXPECTED };
    } finally {
      // A dynamic route pattern ('/orders/[id]') revalidates every page of that route.
      for (const path of revalidate) {
        if (path.includes('[')) revalidatePath(path, 'page');
        else revalidatePath(path);
      }
    }
  };
}

/** What a form built on `useActionState` gets back: the action's result, plus the fields it may show again. */
export type FormState = ActionResult<unknown> & { values?: Record<string, string> };

/**
 * A lib operation as a React 19 form action, `(previous state, FormData) → state`, for
 * `useActionState`. The form's text fields become the operation's input; `echo` names the
 * fields handed back after a refusal so the form can show them again after React resets it
 * (never a secret);
 * `revalidate` gives the paths to refresh from the input.
 */
export function formAction(
  name: string,
  op: Operation<unknown>,
  options: {
    echo?: readonly string[];
    revalidate?: (input: Record<string, string>) => readonly string[];
  } = {},
) {
  return async (_previous: FormState | null, form: FormData): Promise<FormState> => {
    const input: Record<string, string> = {};
    for (const [key, value] of form.entries())
      if (typeof value === 'string' && !key.startsWith('$ACTION')) input[key] = value;
    const result = await serverAction(name, op, options.revalidate?.(input) ?? [])(input);
    // Only a refused form shows what was typed again; a saved one shows what the page now holds.
    const values = result.ok
      ? undefined
      : Object.fromEntries(
          (options.echo ?? []).filter((k) => k in input).map((k) => [k, input[k]!]),
        );
    return { ...result, values };
  };
}

type FormActionFn = (previous: FormState | null, form: FormData) => Promise<FormState>;

/** What a form with an intent no action knows gets: nothing done. */
export const UNKNOWN_INTENT = 'Ukendt handling. Intet er ændret.';

/**
 * One form action for a card whose buttons share one answer area, told apart by the submitting
 * button's `intent`. An intent missing or not among `forms` is refused: nothing runs, never a
 * default.
 */
export function byIntent(forms: Record<string, FormActionFn>): FormActionFn {
  return async (previous, form) => {
    const intent = form.get('intent');
    const run = typeof intent === 'string' && Object.hasOwn(forms, intent) ? forms[intent] : null;
    if (!run) return { ok: false, message: UNKNOWN_INTENT };
    return run(previous, form);
  };
}
