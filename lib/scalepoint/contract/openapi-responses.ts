/**
 * The intake endpoint's answers for the OpenAPI document (openapi.ts), one per outcome code it can
 * give. The status of each comes from the outcome catalogue (intake/words.ts) and the bodies follow
 * intake-http.ts (`resultOf`, `errorResult`); codes sharing a status share one response entry.
 */
import { MAX_BODY_BYTES } from './claim';
import { outcomes, type OutcomeCode } from '../intake/words';

type Json = Record<string, unknown>;

/** Only Events API events end in these; a direct claim never does (docs/events-api.md). */
type EventsOnly = 'updated' | 'ignored' | 'invalid_event';

type Answer = { summary: string; body: Json; example: Json };

const UUID = { type: 'string', format: 'uuid' };

function errorBody(code: OutcomeCode, extra: Record<string, Json> = {}): Json {
  return {
    type: 'object',
    required: ['error', ...Object.keys(extra)],
    properties: { error: { type: 'string', const: code }, ...extra },
  };
}

function errorAnswer(
  code: OutcomeCode,
  summary: string,
  extra: Record<string, Json> = {},
  example: Json = {},
): Answer {
  return { summary, body: errorBody(code, extra), example: { error: code, ...example } };
}

const duplicateBody = {
  type: 'object',
  required: ['status', 'orderId'],
  properties: {
    status: { type: 'string', const: 'duplicate' },
    orderId: {
      type: ['string', 'null'],
      format: 'uuid',
      description:
        'The existing order or draft for the case; null when the earlier delivery made none.',
    },
  },
};

const ISSUE = {
  type: 'object',
  required: ['path', 'message'],
  properties: {
    path: {
      type: 'string',
      description:
        'Dotted path of the field, e.g. `insurer.name` or `contacts.3.phone`; empty for the body itself.',
    },
    message: { type: 'string' },
  },
};

/** Every code a direct delivery can end in; a code added to the catalogue must be placed here or in EventsOnly. */
const answers: Record<Exclude<OutcomeCode, EventsOnly>, Answer> = {
  created: {
    summary:
      'New claim: the delivery, the customer (found or created) and the order draft were stored in one transaction.',
    body: {
      type: 'object',
      required: ['status', 'orderId', 'customerId'],
      properties: {
        status: { type: 'string', const: 'created' },
        orderId: { ...UUID, description: 'The new order draft.' },
        customerId: { ...UUID, description: 'The customer the draft belongs to.' },
      },
    },
    example: {
      status: 'created',
      orderId: '5b0f3c52-8a57-4d1e-9f0a-2c6d1e7b9a41',
      customerId: '0e6f2b1a-3c4d-4e5f-8a9b-1c2d3e4f5a6b',
    },
  },
  duplicate_delivery: {
    summary: 'The same `webhook-id` was delivered before. Nothing new is stored.',
    body: duplicateBody,
    example: { status: 'duplicate', orderId: '5b0f3c52-8a57-4d1e-9f0a-2c6d1e7b9a41' },
  },
  duplicate_case: {
    summary:
      'The company already has an order or draft for this case number. Nothing new is created; the delivery is logged as a duplicate.',
    body: duplicateBody,
    example: { status: 'duplicate', orderId: '5b0f3c52-8a57-4d1e-9f0a-2c6d1e7b9a41' },
  },
  invalid_json: errorAnswer(
    'invalid_json',
    'The body is not UTF-8 JSON. Nothing is stored. (JSON that is not a claim is a 422.)',
  ),
  unreadable_body: errorAnswer(
    'unreadable_body',
    'The body could not be read to its end. Nothing is stored.',
  ),
  unauthorized: errorAnswer(
    'unauthorized',
    'Missing or malformed headers, a `webhook-timestamp` more than 300 s off, an unknown `scalepoint-account-id` or no matching signature. The body is the same whatever the cause, so account ids cannot be probed. Nothing is stored.',
  ),
  module_disabled: errorAnswer(
    'module_disabled',
    'The Scalepoint module is off for the company. The delivery is stored as rejected; an admin can replay it once the module is on.',
  ),
  payload_too_large: errorAnswer(
    'payload_too_large',
    `The body is over ${MAX_BODY_BYTES} bytes (256 KiB). Refused before any signature is computed; nothing is stored.`,
    { limitBytes: { type: 'integer', const: MAX_BODY_BYTES } },
    { limitBytes: MAX_BODY_BYTES },
  ),
  unsupported_media_type: errorAnswer(
    'unsupported_media_type',
    'The `Content-Type` is not `application/json` (parameters such as `charset` are allowed). Nothing is stored.',
    { expected: { type: 'string', const: 'application/json' } },
    { expected: 'application/json' },
  ),
  validation_failed: {
    summary:
      'The claim fails validation (e.g. no `caseNumber`, a text too long, a control character). The delivery is stored as rejected with the issues (at most 100). Do not retry.',
    body: errorBody('validation_failed', {
      issues: { type: 'array', maxItems: 100, items: ISSUE },
    }),
    example: {
      error: 'validation_failed',
      issues: [{ path: 'policyholder.name', message: 'Required' }],
    },
  },
  processing_failed: errorAnswer(
    'processing_failed',
    'Processing failed in a way a retry would not cure. The delivery is stored as failed; an admin can replay it once the cause is fixed. Do not retry.',
  ),
  database_unavailable: errorAnswer(
    'database_unavailable',
    'Try again later: the database is unavailable or asked for a retry. Nothing is stored; retry with the same `webhook-id`.',
  ),
};

/** The OpenAPI `responses` object: one entry per status, each listing its codes with their bodies and examples. */
export function intakeResponses(): Record<string, Json> {
  const byStatus = new Map<number, [OutcomeCode, Answer][]>();
  for (const [code, answer] of Object.entries(answers) as [OutcomeCode, Answer][]) {
    const status = outcomes[code].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, answer]]);
  }
  const responses: Record<string, Json> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const entries = byStatus.get(status)!;
    const bodies = [...new Map(entries.map(([, a]) => [JSON.stringify(a.body), a.body])).values()];
    responses[String(status)] = {
      description: entries
        .map(([code, a]) => (entries.length === 1 ? a.summary : `- \`${code}\`: ${a.summary}`))
        .join('\n'),
      content: {
        'application/json': {
          schema: bodies.length === 1 ? bodies[0] : { oneOf: bodies },
          examples: Object.fromEntries(
            entries.map(([code, a]) => [code, { summary: code, value: a.example }]),
          ),
        },
      },
    };
  }
  return responses;
}
