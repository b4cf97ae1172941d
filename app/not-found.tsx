import Link from 'next/link';
import { connection } from 'next/server';

// Rendered per request, never prerendered: a static page's inline scripts carry no CSP nonce
// and would be blocked (docs/security.md).
export default async function NotFound() {
  await connection();
  return (
    <main className="centered">
      <div className="card narrow">
        <h1>Siden findes ikke</h1>
        <p>Siden eller posten findes ikke, eller du har ikke adgang til den.</p>
        <p>
          <Link href="/">Til forsiden</Link>
        </p>
      </div>
    </main>
  );
}
