'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  // /orders is the Ordrer list only; its sub-paths belong to Ordrekladder (/orders/drafts) or to an order.
  const active = pathname === href || (href !== '/orders' && pathname.startsWith(`${href}/`));
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={active ? 'active' : undefined}
    >
      {children}
    </Link>
  );
}
