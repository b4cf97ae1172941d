import { describe, expect, it } from 'vitest';
import { byIntent, UNKNOWN_INTENT, type FormState } from '@/app/_server/action';

/** A card's buttons share one form action (app/_server/action.ts, `byIntent`). */
describe('byIntent', () => {
  const ran: string[] = [];
  const form = (intent?: string) => {
    const f = new FormData();
    if (intent !== undefined) f.set('intent', intent);
    return f;
  };
  const action = (name: string) => async (): Promise<FormState> => {
    ran.push(name);
    return { ok: true, message: name };
  };
  const card = byIntent({ save: action('save'), delete: action('delete') });

  it('runs the action the button names', async () => {
    expect(await card(null, form('delete'))).toEqual({ ok: true, message: 'delete' });
    expect(ran).toEqual(['delete']);
  });

  it.each([undefined, '', 'drop', 'toString', '__proto__'])(
    'refuses the intent %j and runs nothing',
    async (intent) => {
      ran.length = 0;
      expect(await card(null, form(intent))).toEqual({ ok: false, message: UNKNOWN_INTENT });
      expect(ran).toEqual([]);
    },
  );
});
