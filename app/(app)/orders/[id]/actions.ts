'use server';

import { serverAction } from '@/app/_server/action';
import { findCustomers } from '@/lib/customers/lookup';
import { approveDraft, rejectDraft, restoreDraft, saveDraft } from '@/lib/orders/draft-actions';
import { recordMilestone, reopenOrder } from '@/lib/orders/job-actions';

const LISTS = ['/orders/drafts', '/orders', '/orders/[id]', '/customers/[id]'];

export const saveDraftAction = serverAction('orders.saveDraft', saveDraft, LISTS);
export const approveDraftAction = serverAction('orders.approve', approveDraft, LISTS);
export const rejectDraftAction = serverAction('orders.reject', rejectDraft, LISTS);
export const restoreDraftAction = serverAction('orders.restore', restoreDraft, LISTS);
export const findCustomersAction = serverAction('customers.find', findCustomers);
export const recordMilestoneAction = serverAction('orders.milestone', recordMilestone, LISTS);
export const reopenOrderAction = serverAction('orders.reopen', reopenOrder, LISTS);
