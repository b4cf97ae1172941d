import type { Instrumentation } from 'next';
import { log, requestErrorFields } from './lib/log';

/** Runs once when the server starts (see instrumentation-node.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}

/** An error thrown by a route, page or action reaches the JSON log: code and digest, never the message. */
export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  log.error('request_failed', requestErrorFields(error, request, context));
};
