import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { AuditAction } from './audit-actions';
import type { Actor } from './auth/actor';

/** One audit row; call with the transaction that makes the change, so both land or neither. */
export async function writeAudit(
  tx: Db,
  actor: Actor,
  companyId: string | null,
  action: AuditAction,
  details: Record<string, unknown>,
) {
  await tx
    .insert(auditLog)
    .values({ companyId, actorUserId: actor.userId, actorRole: actor.role, action, details });
}

/** An audit row of a command run by an operator (`npm run support:…`): no user, actor 'command'. */
export async function writeCommandAudit(
  tx: Db,
  action: AuditAction,
  details: Record<string, unknown>,
) {
  await tx
    .insert(auditLog)
    .values({ companyId: null, actorUserId: null, actorRole: 'command', action, details });
}
