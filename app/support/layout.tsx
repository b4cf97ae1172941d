import { AppShell } from '@/components/app-shell';
import { requireSupport } from '@/app/_server/auth';
import { csrfToken } from '@/app/_server/csrf';

// Anyone who is not support (signed out included) gets 404 here: the page's existence is not told.
// A support sign-in that still owes its second step is taken to it.
export default async function SupportLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSupport();
  return (
    <AppShell actor={actor} csrfToken={await csrfToken()}>
      {children}
    </AppShell>
  );
}
