import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="centered">
      <div className="card narrow">
        <h1>Siden findes ikke</h1>
        <p>Siden eller posten findes ikke, eller du har ikke adgang til den.</p>
        <p><Link href="/">Til forsiden</Link></p>
      </div>
    </main>
  );
}
