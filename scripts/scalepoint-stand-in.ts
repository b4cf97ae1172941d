/**
 * The local Scalepoint (Events API stand-in) and a small client for it. See docs/events-api.md.
 *
 *   npm run scalepoint:stand-in                      start it on 127.0.0.1:4010 (STAND_IN_PORT)
 *   npm run scalepoint:stand-in -- register <clientId> <tenant> <cert.pem>
 *   npm run scalepoint:stand-in -- publish <tenant> repair_service_requested [--case SP-…]
 *   npm run scalepoint:stand-in -- publish <tenant> claim_updated --case SP-… --closed NotCovered | --reopened
 *   npm run scalepoint:stand-in -- state
 *   npm run scalepoint:stand-in -- fail send 503 [--times 3]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freshEvent } from '@/tools/stand-ins/scalepoint/sample-events';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';

const DEFAULT_PORT = 4010;

const USAGE = `Usage:
  npm run scalepoint:stand-in [-- serve] [--port <n>] [--hold <seconds>] [--state <file> | --memory]
      Start the local Scalepoint on 127.0.0.1 (port: --port, else STAND_IN_PORT, else ${DEFAULT_PORT}).
      Registrations and events are kept in --state (default .data/scalepoint-stand-in.json).

  npm run scalepoint:stand-in -- register <clientId> <tenant> <cert.pem> [--url <stand-in>]
      Register a connection's certificate (from "Hent certifikat") for a client id and tenant.

  npm run scalepoint:stand-in -- publish <tenant> repair_service_requested [--case SP-…] [--sample <file.json>]
  npm run scalepoint:stand-in -- publish <tenant> claim_updated --case SP-… (--closed <reason> | --reopened)
      Publish a Danish sample event (samples/scalepoint/events/). <reason>: NotCovered, BelowDeductible,
      CreatedByMistake, None, …

  npm run scalepoint:stand-in -- state [--url <stand-in>]
      Show registered clients, event counts and the events Kladde sent.

  npm run scalepoint:stand-in -- fail <token|receive|send> <status> [--times <n>] [--url <stand-in>]
      Answer the next <n> (default 1) calls to that endpoint with <status>: e.g. fail send 503 --times 3
      (Kladde retries), fail send 401 --times 2 (Fejlet, unauthorized), fail send 400 (Fejlet at once).

--url defaults to http://127.0.0.1:<STAND_IN_PORT or ${DEFAULT_PORT}>.`;

class UsageError extends Error {}

const SAMPLES: Record<string, string> = {
  repair_service_requested: 'repair-service-requested.json',
  claim_updated_closed: 'claim-updated-closed.json',
  claim_updated_reopened: 'claim-updated-reopened.json',
};

function defaultPort(): number {
  // SANDBOX_PORT: the name before the stand-ins moved to tools/ (docs/events-api.md).
  const fromEnv = process.env.STAND_IN_PORT ?? process.env.SANDBOX_PORT;
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(fromEnv)) throw new UsageError('STAND_IN_PORT must be a port number.');
  return Number(fromEnv);
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      hold: { type: 'string' },
      state: { type: 'string' },
      memory: { type: 'boolean' },
      url: { type: 'string' },
      case: { type: 'string' },
      sample: { type: 'string' },
      closed: { type: 'string' },
      reopened: { type: 'boolean' },
      times: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command = 'serve', ...rest] = positionals;
  const base = (values.url ?? `http://127.0.0.1:${defaultPort()}`).replace(/\/+$/, '');

  switch (command) {
    case 'serve': {
      const port = values.port !== undefined ? Number(values.port) : defaultPort();
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new UsageError('--port must be a port number.');
      const holdSeconds = values.hold !== undefined ? Number(values.hold) : 30;
      if (!Number.isFinite(holdSeconds) || holdSeconds < 0)
        throw new UsageError('--hold must be a number of seconds.');
      const stateFile = values.memory
        ? undefined
        : path.resolve(values.state ?? '.data/scalepoint-stand-in.json');
      const standIn = await startScalepointStandIn({ port, holdMs: holdSeconds * 1000, stateFile });
      console.log(
        `Local Scalepoint (stand-in) listening on ${standIn.url}${stateFile ? `, state in ${stateFile}` : ''}.`,
      );
      console.log('Put these lines in .env.local and restart Kladde:\n');
      console.log(`SCALEPOINT_ACCOUNTS_URL=${standIn.accountsUrl}`);
      console.log(`SCALEPOINT_API_URL=${standIn.apiUrl}\n`);
      const stop = () => {
        void standIn.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'register': {
      const [clientId, tenant, certFile] = rest;
      if (!clientId || !tenant || !certFile)
        throw new UsageError('register needs <clientId> <tenant> <cert.pem>.');
      const certificatePem = await readFile(certFile, 'utf8').catch(() => {
        throw new UsageError(`Cannot read ${certFile}.`);
      });
      console.log(await call(base, '/_stand-in/clients', { clientId, tenant, certificatePem }));
      return;
    }
    case 'publish': {
      const [tenant, type] = rest;
      if (!tenant || !type)
        throw new UsageError('publish needs <tenant> <repair_service_requested|claim_updated>.');
      const event = await buildEvent(type, values);
      console.log(await call(base, '/_stand-in/events', { tenant, events: [event] }));
      return;
    }
    case 'fail': {
      const [endpoint, statusText] = rest;
      if (!endpoint || !['token', 'receive', 'send'].includes(endpoint))
        throw new UsageError('fail needs <token|receive|send> <status>.');
      const status = Number(statusText);
      if (!Number.isInteger(status) || status < 100 || status > 599)
        throw new UsageError('fail needs an HTTP status (100–599).');
      const times = values.times !== undefined ? Number(values.times) : 1;
      if (!Number.isInteger(times) || times < 1)
        throw new UsageError('--times must be a whole number from 1.');
      console.log(await call(base, '/_stand-in/fail', { endpoint, status, times }));
      return;
    }
    case 'state': {
      const response = await fetch(`${base}/_stand-in/state`).catch(() => {
        throw new UsageError(
          `No stand-in answers at ${base}. Start it with npm run scalepoint:stand-in.`,
        );
      });
      console.log(JSON.stringify(await response.json(), null, 2));
      return;
    }
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

async function buildEvent(
  type: string,
  values: { case?: string; sample?: string; closed?: string; reopened?: boolean },
) {
  let sampleName: string;
  if (type === 'repair_service_requested') {
    sampleName =
      values.sample ?? path.join('samples/scalepoint/events', SAMPLES.repair_service_requested!);
  } else if (type === 'claim_updated') {
    if (!values.case) throw new UsageError('claim_updated needs --case <case number>.');
    if ((values.closed === undefined) === !values.reopened)
      throw new UsageError('claim_updated needs either --closed <reason> or --reopened.');
    sampleName =
      values.sample ??
      path.join(
        'samples/scalepoint/events',
        SAMPLES[values.reopened ? 'claim_updated_reopened' : 'claim_updated_closed']!,
      );
  } else {
    throw new UsageError(
      `Unknown event type ${type}: use repair_service_requested or claim_updated.`,
    );
  }
  let sample: unknown;
  try {
    sample = JSON.parse(await readFile(sampleName, 'utf8'));
  } catch {
    throw new UsageError(`Cannot read ${sampleName} as JSON.`);
  }
  if (!sample || typeof sample !== 'object' || Array.isArray(sample))
    throw new UsageError(`${sampleName} must hold a JSON object.`);
  return freshEvent(sample as Record<string, unknown>, {
    caseNumber: values.case,
    closed: values.closed,
    reopened: values.reopened,
  });
}

async function call(base: string, endpoint: string, body: unknown): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${base}${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new UsageError(
      `No stand-in answers at ${base}. Start it with npm run scalepoint:stand-in.`,
    );
  }
  const text = await response.text();
  if (!response.ok) throw new UsageError(`The stand-in refused (${response.status}): ${text}`);
  return JSON.stringify(JSON.parse(text), null, 2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
