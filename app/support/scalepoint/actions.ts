'use server';

import { serverAction } from '@/app/_server/action';
import { storeCredentials } from '@/lib/scalepoint/credentials';

export const storeCredentialsAction = serverAction('support.storeCredentials', storeCredentials, ['/support/scalepoint']);
