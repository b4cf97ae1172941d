import { describe, expect, it } from 'vitest';
import {
  scalepointSettingsSchema,
  settingsFromFields,
  shownSettings,
} from '@/lib/scalepoint/settings/schema';

// The settings form as a plain post (docs/forms.md): a checkbox is in the form data only when ticked.
describe('settingsFromFields', () => {
  it('reads ticked checkboxes as true and absent ones as false', () => {
    expect(
      settingsFromFields({ enabled: 'on', orderTypeId: 't1', customerMode: 'insurer' }),
    ).toEqual({
      enabled: true,
      orderTypeId: 't1',
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
    expect(
      settingsFromFields({ phoneAsCustomerNumber: 'on', customerMode: 'policyholder' }),
    ).toEqual({
      enabled: false,
      orderTypeId: '',
      customerMode: 'policyholder',
      phoneAsCustomerNumber: true,
    });
  });

  it('passes an unknown customer mode on, for the schema to refuse at its field', () => {
    const parsed = scalepointSettingsSchema.safeParse(
      settingsFromFields({ customerMode: 'neighbour' }),
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['customerMode']);
  });

  it('does not read inherited names as ticked', () => {
    expect(
      settingsFromFields(Object.create({ enabled: 'on' }) as Record<string, string>).enabled,
    ).toBe(false);
  });

  it('a ticked module without an order type is refused, as in the browser', () => {
    const parsed = scalepointSettingsSchema.safeParse(
      settingsFromFields({ enabled: 'on', orderTypeId: ' ', customerMode: 'policyholder' }),
    );
    expect(parsed.error?.issues[0]?.path).toEqual(['orderTypeId']);
  });
});

describe('shownSettings', () => {
  const saved = {
    enabled: true,
    orderTypeId: 't1',
    customerMode: 'insurer' as const,
    phoneAsCustomerNumber: false,
  };

  it('shows the saved settings when nothing was handed back', () => {
    expect(shownSettings(saved, undefined)).toBe(saved);
  });

  it('shows the refused fields, keeping the saved mode when the posted one is unknown', () => {
    expect(shownSettings(saved, { orderTypeId: '', customerMode: 'x' })).toEqual({
      enabled: false,
      orderTypeId: '',
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
    expect(
      shownSettings(saved, {
        enabled: 'on',
        orderTypeId: '',
        customerMode: 'policyholder',
        phoneAsCustomerNumber: 'on',
      }),
    ).toEqual({
      enabled: true,
      orderTypeId: '',
      customerMode: 'policyholder',
      phoneAsCustomerNumber: true,
    });
  });
});
