import { afterAll, beforeAll } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import {
  startScalepointSandbox,
  type SandboxOptions,
  type ScalepointSandbox,
} from '@/lib/scalepoint/sandbox/server';

/**
 * Starts the local Scalepoint on a free port for one test file and points SCALEPOINT_ACCOUNTS_URL /
 * SCALEPOINT_API_URL at it, so the real client code (hosts.ts) talks to it over HTTP.
 */
export function setupScalepointSandbox(options: SandboxOptions = {}): {
  readonly sandbox: ScalepointSandbox;
} {
  const holder: { sandbox?: ScalepointSandbox } = {};
  const saved = {
    accounts: process.env.SCALEPOINT_ACCOUNTS_URL,
    api: process.env.SCALEPOINT_API_URL,
  };
  beforeAll(async () => {
    holder.sandbox = await startScalepointSandbox(options);
    pointAt(holder.sandbox.url);
  });
  afterAll(async () => {
    await holder.sandbox?.close();
    restore('SCALEPOINT_ACCOUNTS_URL', saved.accounts);
    restore('SCALEPOINT_API_URL', saved.api);
    resetEnvCache();
  });
  return {
    get sandbox() {
      if (!holder.sandbox) throw new Error('sandbox not started');
      return holder.sandbox;
    },
  };
}

/** Points the Events API hosts at `url` (a sandbox, or a closed port to simulate an outage). */
export function pointAt(url: string): void {
  process.env.SCALEPOINT_ACCOUNTS_URL = url;
  process.env.SCALEPOINT_API_URL = url;
  resetEnvCache();
}

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
