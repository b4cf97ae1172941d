import { redirect } from 'next/navigation';
import { homeFor, requireActor } from './_server/auth';

export default async function Home() {
  const actor = await requireActor();
  redirect(homeFor(actor));
}
