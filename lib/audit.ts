import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import { checkAuditDetails, type AuditAction, type AuditDetailsInput } from './audit-actions';
import type { Actor } from './auth/actor';

/**
 * The doors' audit writer, bound to a transaction (lib/door.ts): an action of the catalogue and
 * details of its schema; the company is the actor's (or none, for support) unless given.
 */
export type AuditWriter = <A extends AuditAction>(
  action: A,
  details: NoInfer<AuditDetailsInput<A>>,
  companyId?: string | null,
) => Promise<void>;

/**
 * One audit row; call with the transaction that makes the change, so both land or neither.
 * The details are checked against the action's schema first (lib/audit-actions.ts): a mismatch throws.
 */
export async function writeAudit<A extends AuditAction>(
  tx: Db,
  actor: Actor,
  companyId: string | null,
  action: A,
  details: NoInfer<AuditDetailsInput<A>>,
) {
  const checked = checkAuditDetails(action, details);
  await tx.insert(auditLog).values({
    companyId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    action,
    details: checked,
  });
}

/** An audit row of a command run by an operator (`npm run support:…`): no user, actor 'command'. */
export async function writeCommandAudit<A extends AuditAction>(
  tx: Db,
  action: A,
  details: NoInfer<AuditDetailsInput<A>>,
) {
  const checked = checkAuditDetails(action, details);
  await tx
    .insert(auditLog)
    .values({ companyId: null, actorUserId: null, actorRole: 'command', action, details: checked });
}
