import Link from 'next/link';
import type { Actor } from '@/lib/auth/actor';
import { NavLink } from './nav-link';
import { SignOutForm } from './sign-out-form';

export function AppShell({
  actor,
  csrfToken,
  children,
}: {
  actor: Actor;
  csrfToken: string | null;
  children: React.ReactNode;
}) {
  const inCompany = actor.role === 'admin' || actor.role === 'member';
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          Kladde
        </Link>
        <nav aria-label="Hovedmenu" className="mainnav">
          {inCompany && <NavLink href="/orders/drafts">Ordrekladder</NavLink>}
          {inCompany && <NavLink href="/orders">Ordrer</NavLink>}
          {inCompany && <NavLink href="/customers">Kunder</NavLink>}
          {actor.role === 'support' && (
            <NavLink href="/support/scalepoint">Scalepoint-adgange</NavLink>
          )}
          {actor.role === 'support' && <NavLink href="/support/companies">Virksomheder</NavLink>}
          {actor.role === 'support' && <NavLink href="/support/users">Supportbrugere</NavLink>}
        </nav>
        <div className="account">
          <span className="who">
            <Link href="/account" title="Min konto">
              {actor.name}
            </Link>
            {actor.companyName ? (
              <span className="muted"> · {actor.companyName}</span>
            ) : (
              <span className="muted"> · Support</span>
            )}
          </span>
          {actor.role === 'admin' && (
            <Link
              href="/admin"
              className="icon-button"
              aria-label="Indstillinger"
              title="Indstillinger"
            >
              <svg
                aria-hidden="true"
                viewBox="0 0 24 24"
                width="20"
                height="20"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              >
                <circle cx="12" cy="12" r="3" />
                <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
              </svg>
            </Link>
          )}
          <SignOutForm csrfToken={csrfToken} />
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
