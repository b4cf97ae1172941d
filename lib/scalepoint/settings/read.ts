import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, orderTypes, scalepointSettings } from '@/db/schema';
import { DEADLINE_DEFAULTS } from '../deadlines/rules';

/**
 * The company's Scalepoint settings in effect. A deactivated company (docs/people.md) reads as if
 * its module were off, like the intake's account look-up, so no path (the intake's locking path, an
 * event, a replay) makes a draft for it. The Frister's hours are here too (docs/deadlines.md), with
 * their defaults when the company has no settings row yet.
 */
export async function getSettings(db: Db, companyId: string) {
  const [row] = await db
    .select({
      enabled: sql<boolean>`(${scalepointSettings.enabled} and ${companies.deactivatedAt} is null)`,
      orderTypeId: scalepointSettings.orderTypeId,
      orderTypeName: orderTypes.name,
      customerMode: scalepointSettings.customerMode,
      phoneAsCustomerNumber: scalepointSettings.phoneAsCustomerNumber,
      contactHours: scalepointSettings.contactHours,
      inspectionHours: scalepointSettings.inspectionHours,
      updatedAt: scalepointSettings.updatedAt,
    })
    .from(scalepointSettings)
    .innerJoin(companies, eq(companies.id, scalepointSettings.companyId))
    .leftJoin(
      orderTypes,
      and(eq(orderTypes.id, scalepointSettings.orderTypeId), eq(orderTypes.companyId, companyId)),
    )
    .where(eq(scalepointSettings.companyId, companyId));
  return (
    row ?? {
      enabled: false,
      orderTypeId: null,
      orderTypeName: null,
      customerMode: 'policyholder' as const,
      phoneAsCustomerNumber: false,
      contactHours: DEADLINE_DEFAULTS.contactHours,
      inspectionHours: DEADLINE_DEFAULTS.inspectionHours,
      updatedAt: null,
    }
  );
}
