import { notFound } from 'next/navigation';
import { AppShell } from '@/components/app-shell';
import { currentActor } from '@/app/_server/auth';
import { csrfToken } from '@/app/_server/csrf';
import { isSupport } from '@/lib/auth/actor';

// Anyone who is not support (signed out included) gets 404 here: the page's existence is not told.
export default async function SupportLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  return (
    <AppShell actor={actor} csrfToken={await csrfToken()}>
      {children}
    </AppShell>
  );
}
