import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredEvent } from './event-log';

/** The sandbox's optional JSON state file: registrations and events survive a restart (tokens do not). */

export type StateFile = {
  clients: { clientId: string; tenants: string[]; certificates: string[] }[];
  lastSeq: number;
  events: Record<string, StoredEvent[]>;
};

export function writeState(file: string, state: StateFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, file);
}

export function readState(file: string): StateFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as StateFile;
  if (
    !Array.isArray(state.clients) ||
    typeof state.lastSeq !== 'number' ||
    typeof state.events !== 'object'
  ) {
    throw new Error(`${file} is not a stand-in state file`);
  }
  return state;
}
