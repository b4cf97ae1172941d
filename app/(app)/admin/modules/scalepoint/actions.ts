'use server';

import { serverAction } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import { accessMailOperation } from '@/lib/scalepoint/access-mail';
import { replayDelivery } from '@/lib/scalepoint/deliveries';
import { saveScalepointSettings } from '@/lib/scalepoint/settings';

const PAGE = '/admin/modules/scalepoint';

export const saveSettingsAction = serverAction('scalepoint.saveSettings', saveScalepointSettings, [PAGE]);

export const sendMailAction = serverAction('scalepoint.sendMail', accessMailOperation(resendMailer), [PAGE]);

export const replayAction = serverAction('scalepoint.replay', (db, actor, deliveryId) => replayDelivery(db, actor, String(deliveryId)), [PAGE, '/orders/drafts']);
