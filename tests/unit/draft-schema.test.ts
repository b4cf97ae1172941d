import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '@/lib/action-result';
import { approveSchema, draftEditSchema, rejectSchema } from '@/lib/orders/draft-schema';
import { approvedStatuses, orderStatusLabel } from '@/lib/orders/status';
import { orderStatuses } from '@/db/schema/orders';

const id = '3f2b8c1e-5d4a-4c6b-9e7f-1a2b3c4d5e6f';
const base = {
  orderId: id,
  heading: ' Utæt rør ',
  requisitionNumber: '',
  orderTypeId: id,
  workDescription: '',
  installation: { street: '', houseNumber: '', floor: '', postalCode: '', city: '' },
  customerMode: 'existing',
  customerId: id,
  newCustomer: {
    name: '',
    customerNumber: '',
    phone: '',
    email: '',
    addressFromInstallation: false,
  },
};
const errors = (input: unknown) => {
  const r = draftEditSchema.safeParse(input);
  return r.success ? {} : fieldErrorsOf(r.error.issues);
};

describe('the draft forms (shared by browser and action)', () => {
  it('accepts a plain edit and trims', () => {
    const r = draftEditSchema.parse(base);
    expect(r.heading).toBe('Utæt rør');
  });
  it('words every field error in Danish at its field', () => {
    expect(errors({ ...base, heading: '  ' })).toEqual({ heading: 'Skriv en ordreoverskrift.' });
    expect(errors({ ...base, customerId: '' })).toEqual({ customerId: 'Vælg en kunde.' });
    expect(errors({ ...base, customerMode: 'new' })).toEqual({
      'newCustomer.name': 'Skriv kundens navn.',
    });
    expect(
      errors({ ...base, installation: { ...base.installation, postalCode: '80000' } }),
    ).toEqual({ 'installation.postalCode': 'Postnr. skal være fire cifre.' });
    expect(
      errors({
        ...base,
        customerMode: 'new',
        newCustomer: { ...base.newCustomer, name: 'Ny', email: 'ikke-en-mail' },
      }),
    ).toEqual({ 'newCustomer.email': 'Skriv en gyldig e-mailadresse.' });
    expect(
      errors({
        ...base,
        customerMode: 'new',
        newCustomer: { ...base.newCustomer, name: 'Ny', customerNumber: '12 34' },
      })['newCustomer.customerNumber'],
    ).toMatch(/Kundenummeret/);
  });
  it('refuses ids that are not ids, and a reason that is only spaces', () => {
    expect(approveSchema.safeParse({ orderId: "1' or 1=1" }).success).toBe(false);
    expect(rejectSchema.safeParse({ orderId: id, reason: '   ' }).success).toBe(false);
    expect(rejectSchema.parse({ orderId: id, reason: ' Dublet ' }).reason).toBe('Dublet');
  });
  it('has one word for every status', () => {
    expect(orderStatuses.map((s) => orderStatusLabel[s])).toEqual([
      'Kladde',
      'Ny',
      'I gang',
      'Afvist',
      'Afsluttet',
    ]);
    // The numbered orders, in the job's order (orders.status_rank 1, 2, 3).
    expect(approvedStatuses.map((s) => orderStatusLabel[s])).toEqual(['Ny', 'I gang', 'Afsluttet']);
  });
});
