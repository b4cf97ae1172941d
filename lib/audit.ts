import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Actor } from './auth/actor';

/** One audit row; call with the transaction that makes the change, so both land or neither. */
export async function writeAudit(
  tx: Db,
  actor: Actor,
  companyId: string | null,
  action: string,
  details: Record<string, unknown>,
) {
  await tx
    .insert(auditLog)
    .values({ companyId, actorUserId: actor.userId, actorRole: actor.role, action, details });
}
