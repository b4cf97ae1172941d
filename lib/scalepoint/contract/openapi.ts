import { MAX_BODY_BYTES } from './claim';
import { claimJsonSchema, type JsonSchema } from './claim-json-schema';
import { intakeResponses } from './openapi-responses';
import {
  MAX_ACCOUNT_ID_LENGTH,
  MAX_WEBHOOK_ID_LENGTH,
  TOLERANCE_SECONDS,
} from '../intake/signature';
import { EXAMPLE_CLAIM } from './example-claim';

/**
 * OpenAPI 3.1 description of the Scalepoint intake endpoint (docs/intake.md).
 * Plain data: served as JSON and handed to Scalepoint's integration engineers. The claim body's
 * schema is generated from the validator (claim-json-schema.ts) and the answers from the outcome
 * catalogue (openapi-responses.ts); this file is the hand-written shell around them.
 */

export const INTAKE_PATH = '/api/scalepoint/claims';

const SIGNATURE_DESCRIPTION = [
  'Standard Webhooks v1 signature (https://www.standardwebhooks.com/).',
  '',
  'A space-separated list of `v1,<base64 signature>` entries; the request is accepted when **any** entry matches (entries of other versions are ignored).',
  '',
  'signature = base64( HMAC-SHA256( key, `${webhook-id}.${webhook-timestamp}.${raw body}` ) )',
  '',
  '- `key` is the Signeringsnøgle issued for the account: the text after the `whsec_` prefix, base64-decoded to bytes.',
  '- `raw body` is the exact bytes sent on the wire; the server verifies them before parsing and never re-serialises the JSON.',
  '- The comparison is constant-time.',
  '- `webhook-timestamp` must be within ±300 seconds of the server clock.',
].join('\n');

/** The claim schema's `$defs` as components: `#/$defs/X` becomes `#/components/schemas/X`. */
function componentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(componentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string'
        ? v.replace(/^#\/\$defs\//, '#/components/schemas/')
        : componentRefs(v),
    ]),
  );
}

/** The Claim schema and its named parts, as `components.schemas`. */
export function claimComponents(): Record<string, JsonSchema> {
  const { $defs, ...claim } = claimJsonSchema();
  // OpenAPI 3.1's default dialect is draft 2020-12 already.
  delete claim.$schema;
  return componentRefs({ Claim: claim, ...($defs as Record<string, JsonSchema>) }) as Record<
    string,
    JsonSchema
  >;
}

/** The document's example is the contract's example claim (the tests check it against both the schema and the validator). */
export const exampleClaim = EXAMPLE_CLAIM;

export function openApiDocument(appUrl: string): Record<string, unknown> {
  const server = appUrl.replace(/\/+$/, '') || '/';
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kladde – Scalepoint intake',
      version: '1.0.0',
      description: [
        'Scalepoint pushes insurance claims (forsikringssager) to Kladde. Each accepted claim becomes an order draft',
        '(ordrekladde) in the company selected by `scalepoint-account-id`, with its customer found or created by the',
        "company's Kunde setting.",
        '',
        'Requests are authenticated with Standard Webhooks v1 signatures. Redeliveries must reuse the same',
        '`webhook-id`; the endpoint is idempotent on `webhook-id` and on the case number per company.',
        '',
        `Bodies are JSON (\`Content-Type: application/json\`) of at most ${MAX_BODY_BYTES} bytes (256 KiB).`,
        'Unknown fields are ignored. Strings are trimmed; empty strings count as absent. A string holding a control',
        'character (U+0000–U+001F other than tab, line feed and carriage return) or a lone UTF-16 surrogate fails validation (422).',
        '',
        'Checks run in this order; the first that fails answers: size (413) → content type (415) → headers present and',
        'timestamp within ±300 s (401) → account and signature (401) → JSON (400) → claim schema (422) → module on (409).',
      ].join('\n'),
    },
    servers: [{ url: server, description: 'Kladde' }],
    paths: {
      [INTAKE_PATH]: {
        post: {
          operationId: 'receiveScalepointClaim',
          summary: 'Receive a Scalepoint claim and turn it into an order draft',
          description: [
            'A body over 256 KiB is rejected (413) before any HMAC is computed. The signature is verified over the raw',
            'body bytes. Redeliveries with the same `webhook-id` and claims for a case number the company already has',
            'answer 200 `duplicate` and store nothing new. No input produces a 500. A 503 means only "try again later" (nothing was',
            'stored): retry with the same `webhook-id`. An error that would repeat on every retry is stored as a failed delivery and answered 422.',
          ].join('\n'),
          security: [{ standardWebhooks: [] }],
          parameters: [
            { $ref: '#/components/parameters/ScalepointAccountId' },
            { $ref: '#/components/parameters/WebhookId' },
            { $ref: '#/components/parameters/WebhookTimestamp' },
            { $ref: '#/components/parameters/WebhookSignature' },
          ],
          requestBody: {
            required: true,
            description: `A claim as JSON, at most ${MAX_BODY_BYTES} bytes (256 KiB). The signature covers these exact bytes.`,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Claim' },
                example: exampleClaim,
              },
            },
          },
          responses: intakeResponses(),
        },
      },
    },
    components: {
      securitySchemes: {
        standardWebhooks: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description: SIGNATURE_DESCRIPTION,
        },
      },
      parameters: {
        ScalepointAccountId: {
          name: 'scalepoint-account-id',
          in: 'header',
          required: true,
          description: `The Scalepoint konto-id that Kladde support stored for the company (at most ${MAX_ACCOUNT_ID_LENGTH} characters, surrounding spaces ignored). It selects the company and thereby the signing key.`,
          schema: { type: 'string', minLength: 1, maxLength: MAX_ACCOUNT_ID_LENGTH },
          example: 'sp-acct-10234',
        },
        WebhookId: {
          name: 'webhook-id',
          in: 'header',
          required: true,
          description: `The delivery's unique id, at most ${MAX_WEBHOOK_ID_LENGTH} characters. Must be the same on every redelivery of the same message (idempotency key).`,
          schema: { type: 'string', minLength: 1, maxLength: MAX_WEBHOOK_ID_LENGTH },
          example: 'msg_2Lh8xQ3k9ZpV7tYc',
        },
        WebhookTimestamp: {
          name: 'webhook-timestamp',
          in: 'header',
          required: true,
          description: `Unix time in seconds when the message was signed, 1–10 digits. Rejected (401) when more than ${TOLERANCE_SECONDS} s off the server clock, either way.`,
          schema: { type: 'string', pattern: '^[0-9]{1,10}$' },
          example: '1795500000',
        },
        WebhookSignature: {
          name: 'webhook-signature',
          in: 'header',
          required: true,
          description: SIGNATURE_DESCRIPTION,
          schema: { type: 'string', minLength: 1 },
          example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
        },
      },
      schemas: claimComponents(),
    },
  };
}
