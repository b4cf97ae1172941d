import { afterAll, beforeAll } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import {
  startScalepointStandIn,
  type StandInOptions,
  type ScalepointStandIn,
} from '@/tools/stand-ins/scalepoint/server';

/**
 * Starts the local Scalepoint on a free port for one test file and points SCALEPOINT_ACCOUNTS_URL /
 * SCALEPOINT_API_URL at it, so the real client code (hosts.ts) talks to it over HTTP.
 */
export function setupScalepointStandIn(options: StandInOptions = {}): {
  readonly standIn: ScalepointStandIn;
} {
  const holder: { standIn?: ScalepointStandIn } = {};
  const saved = {
    accounts: process.env.SCALEPOINT_ACCOUNTS_URL,
    api: process.env.SCALEPOINT_API_URL,
  };
  beforeAll(async () => {
    holder.standIn = await startScalepointStandIn(options);
    pointAt(holder.standIn.url);
  });
  afterAll(async () => {
    await holder.standIn?.close();
    restore('SCALEPOINT_ACCOUNTS_URL', saved.accounts);
    restore('SCALEPOINT_API_URL', saved.api);
    resetEnvCache();
  });
  return {
    get standIn() {
      if (!holder.standIn) throw new Error('stand-in not started');
      return holder.standIn;
    },
  };
}

/** Points the Events API hosts at `url` (a stand-in, or a closed port to simulate an outage). */
export function pointAt(url: string): void {
  process.env.SCALEPOINT_ACCOUNTS_URL = url;
  process.env.SCALEPOINT_API_URL = url;
  resetEnvCache();
}

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
