import { describe, expect, it } from 'vitest';
import { INVITATION_ACCEPTED, signInNoticeMessage } from '@/lib/auth/messages';

// /login?notice=<code> (lib/auth/messages.ts): a fixed map, so a crafted link cannot make the
// login page say anything of its own.
describe('signInNoticeMessage', () => {
  it('says Adgang oprettet after an accepted invitation', () => {
    expect(signInNoticeMessage('invitation-accepted')).toBe(INVITATION_ACCEPTED);
    expect(INVITATION_ACCEPTED).toContain('Adgang oprettet');
  });

  it.each([
    undefined,
    null,
    '',
    'Adgang oprettet',
    'INVITATION-ACCEPTED',
    'invitation-accepted ',
    'toString',
    '__proto__',
    'constructor',
    'hasOwnProperty',
  ])('shows nothing for %j', (code) => {
    expect(signInNoticeMessage(code)).toBeNull();
  });
});
