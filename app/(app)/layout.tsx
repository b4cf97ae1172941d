import { AppShell } from '@/components/app-shell';
import { requireActor } from '@/app/_server/auth';
import { csrfToken } from '@/app/_server/csrf';

// Every page below checks the actor again itself; this layout only draws the shell.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <AppShell actor={actor} csrfToken={await csrfToken()}>
      {children}
    </AppShell>
  );
}
