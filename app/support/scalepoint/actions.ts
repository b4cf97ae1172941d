'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/app/_server/action';
import { storeCredentials } from '@/lib/scalepoint/credentials';

export async function storeCredentialsAction(input: unknown) {
  const result = await runAction('support.storeCredentials', (db, actor) => storeCredentials(db, actor, input));
  if (result.ok) revalidatePath('/support/scalepoint');
  return result;
}
