/**
 * Sends a Scalepoint claim to the intake endpoint, signed like Scalepoint does (Standard Webhooks v1).
 *
 *   npm run scalepoint:send -- samples/scalepoint/tryg-vandskade.json --account <konto-id> --secret whsec_…
 *
 * Exit code 0 when every response was 2xx, 1 otherwise.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { nowInSeconds, signedRequestHeaders } from '@/tools/stand-ins/scalepoint/sign-request';
import { parseSigningSecret } from '@/lib/scalepoint/intake/signature';

const INTAKE_PATH = '/api/scalepoint/claims';
const DEFAULT_URL = 'http://localhost:3000';
const MAX_REPEAT = 100;
const REQUEST_TIMEOUT_MS = 30_000;

const USAGE = `Usage:
  npm run scalepoint:send -- <claim.json> --account <id> --secret <whsec_…> [options]

Signs <claim.json> (its raw bytes) with the Standard Webhooks v1 scheme and POSTs it to the
Scalepoint intake endpoint, then prints the HTTP status and the response body.

Required:
  <claim.json>              the claim to send, e.g. samples/scalepoint/tryg-vandskade.json
  --account <id>            Scalepoint konto-id stored for the company (header scalepoint-account-id)
  --secret <whsec_…>        the company's Signeringsnøgle

Options:
  --url <url>               base URL or full endpoint URL (default ${DEFAULT_URL});
                            a URL without a path gets ${INTAKE_PATH} appended
  --webhook-id <id>         delivery id (default: a fresh msg_… id); reuse one to simulate a redelivery
  --case-number <value>     replace caseNumber in the claim before signing (fill the demo with distinct cases)
  --repeat <n>              send n times (1–${MAX_REPEAT}) with the same webhook-id, to show idempotency
  -h, --help                show this text

Exit code: 0 when every response is 2xx, 1 otherwise.

Example:
  npm run scalepoint:send -- samples/scalepoint/codan-roerskade.json \\
    --account <konto-id> --secret <whsec_…> --case-number SP-2026-104299 --repeat 2`;

class UsageError extends Error {}

type Options = {
  file: string;
  account: string;
  key: Buffer;
  url: URL;
  webhookId: string;
  caseNumber: string | undefined;
  repeat: number;
};

function parseOptions(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        account: { type: 'string' },
        secret: { type: 'string' },
        url: { type: 'string' },
        'webhook-id': { type: 'string' },
        'case-number': { type: 'string' },
        repeat: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';

  if (positionals.length === 0) throw new UsageError('Missing <claim.json>.');
  if (positionals.length > 1)
    throw new UsageError(
      `Expected one claim file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const file = positionals[0] ?? '';

  const account = values.account?.trim();
  if (!account) throw new UsageError('Missing --account <id>.');

  const secret = values.secret?.trim();
  if (!secret) throw new UsageError('Missing --secret <whsec_…>.');
  const key = parseSigningSecret(secret);
  if (!key)
    throw new UsageError('--secret must be "whsec_" followed by base64 (the Signeringsnøgle).');

  const url = resolveUrl(values.url ?? DEFAULT_URL);

  const webhookId = values['webhook-id'] ?? `msg_${randomBytes(16).toString('hex')}`;
  if (webhookId.trim() === '') throw new UsageError('--webhook-id must not be empty.');

  const caseNumber = values['case-number'];
  if (caseNumber !== undefined && caseNumber.trim() === '')
    throw new UsageError('--case-number must not be empty.');

  let repeat = 1;
  if (values.repeat !== undefined) {
    if (!/^[0-9]+$/.test(values.repeat)) throw new UsageError('--repeat must be a whole number.');
    repeat = Number(values.repeat);
    if (repeat < 1 || repeat > MAX_REPEAT)
      throw new UsageError(`--repeat must be between 1 and ${MAX_REPEAT}.`);
  }

  return { file, account, key, url, webhookId, caseNumber, repeat };
}

function resolveUrl(input: string): URL {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`--url is not a valid URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url must be http:// or https://.');
  if (url.pathname === '' || url.pathname === '/') url.pathname = INTAKE_PATH;
  return url;
}

/** The raw file bytes, or, with --case-number, the claim re-serialised with that case number. */
async function loadBody(file: string, caseNumber: string | undefined): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${file}${code ? ` (${code})` : ''}.`);
  }
  if (caseNumber === undefined) return raw;

  let claim: unknown;
  try {
    claim = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`--case-number needs ${file} to be valid JSON.`);
  }
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim)) {
    throw new UsageError(`--case-number needs ${file} to hold a JSON object.`);
  }
  return Buffer.from(`${JSON.stringify({ ...claim, caseNumber }, null, 2)}\n`, 'utf8');
}

function formatBody(text: string): string {
  if (text === '') return '(empty body)';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

async function send(options: Options, body: Buffer, attempt: number): Promise<boolean> {
  const headers = signedRequestHeaders({
    accountId: options.account,
    key: options.key,
    webhookId: options.webhookId,
    timestamp: nowInSeconds(),
    rawBody: body,
  });
  const label = options.repeat > 1 ? ` [${attempt}/${options.repeat}]` : '';
  console.log(
    `POST ${options.url.href}${label}  webhook-id ${options.webhookId}, ${body.length} bytes`,
  );

  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers,
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const cause =
      err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    console.error(`Request failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    console.error('Is the app running (npm run dev) and is --url right?');
    return false;
  }

  const text = await response.text().catch(() => '');
  console.log(`HTTP ${response.status} ${response.statusText}`.trimEnd());
  console.log(formatBody(text));
  return response.ok;
}

async function main(): Promise<number> {
  let options: Options | 'help';
  let body: Buffer;
  try {
    options = parseOptions(process.argv.slice(2));
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    body = await loadBody(options.file, options.caseNumber);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${USAGE}`);
      return 1;
    }
    throw err;
  }

  let allOk = true;
  for (let attempt = 1; attempt <= options.repeat; attempt++) {
    if (attempt > 1) console.log('');
    if (!(await send(options, body, attempt))) allOk = false;
  }
  return allOk ? 0 : 1;
}

process.exitCode = await main();
