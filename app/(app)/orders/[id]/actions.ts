'use server';

import { serverAction } from '@/app/_server/action';
import { findCustomers } from '@/lib/customers/lookup';
import { approveDraft, rejectDraft, restoreDraft, saveDraft } from '@/lib/orders/draft-actions';
import { recordMilestone, reopenOrder } from '@/lib/orders/job-actions';
import { retryOutbox } from '@/lib/scalepoint/outbound/retry';

const LISTS = ['/orders/drafts', '/orders', '/orders/[id]', '/customers/[id]'];

export const saveDraftAction = serverAction('orders.saveDraft', saveDraft, LISTS);
export const approveDraftAction = serverAction('orders.approve', approveDraft, LISTS);
export const rejectDraftAction = serverAction('orders.reject', rejectDraft, LISTS);
export const restoreDraftAction = serverAction('orders.restore', restoreDraft, LISTS);
export const findCustomersAction = serverAction('customers.find', findCustomers);
export const recordMilestoneAction = serverAction('orders.milestone', recordMilestone, LISTS);
export const reopenOrderAction = serverAction('orders.reopen', reopenOrder, LISTS);
/** Send igen on a failed step in Forløb: the order's page and the Scalepoint page's Sendt til Scalepoint. */
export const retryOutboxAction = serverAction('scalepoint.retryOutbox', retryOutbox, [
  '/orders/[id]',
  '/admin/modules/scalepoint',
]);
