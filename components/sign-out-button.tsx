'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button type="button" className="button ghost" onClick={() => signOut({ callbackUrl: '/login' })}>
      Log ud
    </button>
  );
}
