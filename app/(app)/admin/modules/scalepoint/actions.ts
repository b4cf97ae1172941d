'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import { sendAccessMail } from '@/lib/scalepoint/access-mail';
import { replayDelivery } from '@/lib/scalepoint/deliveries';
import { saveScalepointSettings } from '@/lib/scalepoint/settings';

const PAGE = '/admin/modules/scalepoint';

export async function saveSettingsAction(input: unknown) {
  const result = await runAction('scalepoint.saveSettings', (db, actor) => saveScalepointSettings(db, actor, input));
  if (result.ok) revalidatePath(PAGE);
  return result;
}

export async function sendMailAction() {
  const result = await runAction('scalepoint.sendMail', (db, actor) => sendAccessMail(db, actor, resendMailer));
  revalidatePath(PAGE);
  return result;
}

export async function replayAction(deliveryId: string) {
  const result = await runAction('scalepoint.replay', (db, actor) => replayDelivery(db, actor, String(deliveryId)));
  revalidatePath(PAGE);
  revalidatePath('/orders/drafts');
  return result;
}
