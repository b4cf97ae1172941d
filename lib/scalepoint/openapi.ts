import { MAX_BODY_BYTES } from './claim';

/**
 * OpenAPI 3.1 description of the Scalepoint intake endpoint (docs/intake.md).
 * Plain data: served as JSON and handed to Scalepoint's integration engineers.
 */

export const INTAKE_PATH = '/api/scalepoint/claims';

const SIGNATURE_DESCRIPTION = [
  'Standard Webhooks v1 signature (https://www.standardwebhooks.com/).',
  '',
  'A space-separated list of `v1,<base64 signature>` entries; the request is accepted when **any** entry matches.',
  '',
  'signature = base64( HMAC-SHA256( key, `${webhook-id}.${webhook-timestamp}.${raw body}` ) )',
  '',
  '- `key` is the Signeringsnøgle issued for the account: the text after the `whsec_` prefix, base64-decoded to bytes.',
  '- `raw body` is the exact bytes sent on the wire; the server verifies them before parsing and never re-serialises the JSON.',
  '- The comparison is constant-time.',
  '- `webhook-timestamp` must be within ±300 seconds of the server clock.',
].join('\n');

function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const type = schema.type;
  return { ...schema, type: Array.isArray(type) ? [...type, 'null'] : [type, 'null'] };
}

const optionalString = (description: string, extra: Record<string, unknown> = {}) =>
  nullable({ type: 'string', description, ...extra });

const errorBody = (description: string, example: string): Record<string, unknown> => ({
  description,
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      example: { error: example },
    },
  },
});

const exampleClaim = {
  caseNumber: 'SP-2026-104233',
  caseUrl: 'https://www.scalepoint.com/dk/case/8f2c1d',
  caseType: 'buildingClaim',
  policyNumber: '641-2231-77',
  damage: { description: 'Vandskade i køkken efter sprunget rør.', cause: 'Vandskade', date: '2026-11-24' },
  insurer: {
    name: 'Tryg Forsikring A/S',
    alias: 'tryg',
    cvr: '24260666',
    phone: '70 11 20 20',
    email: 'skade@tryg.dk',
    address: { street: 'Klausdalsbrovej', houseNumber: '601', postalCode: '2750', city: 'Ballerup' },
  },
  policyholder: {
    name: 'Jens Hansen',
    phone: '+45 20 12 34 56',
    mobile: null,
    email: 'jens@example.dk',
    address: { street: 'Vestergade', houseNumber: '12', floor: '2. th.', postalCode: '8000', city: 'Aarhus C' },
  },
  damageAddress: { street: 'Vestergade', houseNumber: '12', floor: '2. th.', postalCode: '8000', city: 'Aarhus C' },
  contacts: [
    {
      name: 'Mette Jensen',
      role: 'Lejer',
      phone: '31 22 33 44',
      mobile: null,
      email: 'mette@example.dk',
      address: { street: 'Vestergade', houseNumber: '12', floor: '1. tv.', postalCode: '8000', city: 'Aarhus C' },
    },
  ],
};

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
          responses: {
            '201': {
              description: 'New claim: the delivery, the customer (found or created) and the order draft were stored in one transaction.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['status', 'orderId', 'customerId'],
                    properties: {
                      status: { const: 'created', type: 'string' },
                      orderId: { type: 'string', format: 'uuid', description: 'Id of the new order draft.' },
                      customerId: { type: 'string', format: 'uuid', description: 'Id of the customer the draft belongs to.' },
                    },
                  },
                  example: {
                    status: 'created',
                    orderId: '5b0f3c52-8a57-4d1e-9f0a-2c6d1e7b9a41',
                    customerId: '0e9d7a13-64c2-4b8f-a1d5-7f3e2b6c9d08',
                  },
                },
              },
            },
            '200': {
              description:
                'Duplicate: the same `webhook-id` was delivered before, or the company already has an order or draft for this case number. Nothing new is stored; the delivery is logged as duplicate.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['status', 'orderId'],
                    properties: {
                      status: { const: 'duplicate', type: 'string' },
                      orderId: {
                        type: ['string', 'null'],
                        format: 'uuid',
                        description: 'Id of the existing order or draft for this case (null when the earlier delivery made none).',
                      },
                    },
                  },
                  example: { status: 'duplicate', orderId: '5b0f3c52-8a57-4d1e-9f0a-2c6d1e7b9a41' },
                },
              },
            },
            '400': errorBody('The body is not valid UTF-8 JSON. Nothing is stored. (Valid JSON that is not a claim object is a 422.)', 'invalid_json'),
            '401': errorBody(
              'Missing or invalid signature headers, unknown `scalepoint-account-id`, signature mismatch, or a `webhook-timestamp` more than 300 s in the past or future. The body is always `{"error":"unauthorized"}`, whatever the cause, so account ids cannot be probed; the cause goes only to a security log line (without body or secret). Nothing is stored.',
              'unauthorized',
            ),
            '409': {
              description:
                'Authenticated, but the Scalepoint module is turned off for the company. The delivery is stored as rejected and can be replayed by an admin once the module is on.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['error'],
                    properties: { error: { const: 'module_disabled', type: 'string' } },
                  },
                  example: { error: 'module_disabled' },
                },
              },
            },
            '413': errorBody(
              `The body is larger than ${MAX_BODY_BYTES} bytes (256 KiB). Rejected before the signature is computed; nothing is stored.`,
              'payload_too_large',
            ),
            '415': errorBody('The `Content-Type` is not `application/json`. Nothing is stored.', 'unsupported_media_type'),
            '422': {
              description:
                'Authenticated, but either the claim fails validation (`validation_failed`, e.g. missing `caseNumber`, `insurer.name` or `policyholder.name`, or a control character in a field; the delivery is stored as rejected with the issues), or processing failed in a way a retry would not cure (`processing_failed`, no `issues`; the delivery is stored as failed and an admin can replay it once the cause is fixed). Do not retry a 422.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['error'],
                    properties: {
                      error: { type: 'string', enum: ['validation_failed', 'processing_failed'] },
                      issues: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['path', 'message'],
                          properties: {
                            path: { type: 'string', description: 'Dotted path of the offending field, e.g. `insurer.name`.' },
                            message: { type: 'string' },
                          },
                        },
                      },
                    },
                  },
                  example: {
                    error: 'validation_failed',
                    issues: [{ path: 'policyholder.name', message: 'Required' }],
                  },
                },
              },
            },
            '503': errorBody(
              'Try again later: the database is unavailable or asked for a retry (connection refused or lost, too many connections, shutting down, serialization failure, deadlock, statement timeout). Nothing partial is stored; retry with the same `webhook-id`.',
              'database_unavailable',
            ),
          },
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
          description:
            'The Scalepoint konto-id that Kladde support stored for the company. It selects the company and thereby the signing key.',
          schema: { type: 'string', minLength: 1 },
          example: 'sp-acct-10234',
        },
        WebhookId: {
          name: 'webhook-id',
          in: 'header',
          required: true,
          description: "The delivery's unique id. Must be the same on every redelivery of the same message (idempotency key).",
          schema: { type: 'string', minLength: 1 },
          example: 'msg_2Lh8xQ3k9ZpV7tYc',
        },
        WebhookTimestamp: {
          name: 'webhook-timestamp',
          in: 'header',
          required: true,
          description: 'Unix time in seconds when the message was signed. Rejected (401) when more than 300 s off the server clock, either way.',
          schema: { type: 'string', pattern: '^[0-9]+$' },
          example: '1795500000',
        },
        WebhookSignature: {
          name: 'webhook-signature',
          in: 'header',
          required: true,
          description: SIGNATURE_DESCRIPTION,
          schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
          example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string', description: 'Machine-readable error code.' } },
        },
        Address: {
          type: ['object', 'null'],
          description: 'A Danish address. All parts optional.',
          properties: {
            street: optionalString('Street name (vejnavn).'),
            houseNumber: optionalString('House number incl. letter (husnummer), e.g. `12B`.'),
            floor: optionalString('Floor and door (etage/dør), e.g. `2. th.`.'),
            postalCode: optionalString('Postal code (postnummer), e.g. `8000`.'),
            city: optionalString('City (by), e.g. `Aarhus C`.'),
          },
        },
        Damage: {
          type: ['object', 'null'],
          properties: {
            description: optionalString('Free-text damage description; becomes the Arbejdsbeskrivelse of the order draft.'),
            cause: optionalString('Damage cause, e.g. `Vandskade`, `Stormskade`, `Indbrud`.'),
            date: optionalString('Date of damage (YYYY-MM-DD).', { format: 'date' }),
          },
        },
        Insurer: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, description: 'Insurance company name, e.g. `Tryg Forsikring A/S`.' },
            alias: optionalString('Short Scalepoint alias of the insurer.'),
            cvr: optionalString('Danish CVR number (8 digits).'),
            phone: optionalString('Phone number.'),
            email: optionalString('E-mail address.', { format: 'email' }),
            address: { $ref: '#/components/schemas/Address' },
          },
        },
        Policyholder: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, description: 'Policyholder (forsikringstager) name.' },
            phone: optionalString('Phone number; with the company setting “Brug forsikringstagers telefonnummer som kundenummer” its digits become the customer number.'),
            mobile: optionalString('Mobile number; used instead of `phone` when that is absent.'),
            email: optionalString('E-mail address.', { format: 'email' }),
            address: { $ref: '#/components/schemas/Address' },
          },
        },
        Contact: {
          type: 'object',
          description: 'A contact person on the case; becomes a note on the work sheet (Noter på arbejdsseddel).',
          properties: {
            name: optionalString('Name.'),
            role: optionalString('Role on the case, e.g. `Lejer`, `Administrator`.'),
            phone: optionalString('Phone number.'),
            mobile: optionalString('Mobile number.'),
            email: optionalString('E-mail address.', { format: 'email' }),
            address: { $ref: '#/components/schemas/Address' },
          },
        },
        Claim: {
          type: 'object',
          description:
            'A Scalepoint claim. Only `caseNumber`, `insurer.name` and `policyholder.name` are required; everything else may be null or absent. Unknown fields are ignored.',
          required: ['caseNumber', 'insurer', 'policyholder'],
          properties: {
            caseNumber: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'Scalepoint case number; becomes Rekv.nr. and the title `Scalepoint – {caseNumber}`. Unique per company.',
            },
            caseUrl: optionalString('Link to the case in Scalepoint; appended to the work description.', { format: 'uri' }),
            caseType: optionalString('Scalepoint case type, e.g. `buildingClaim`.'),
            policyNumber: optionalString('Insurance policy number (policenummer).'),
            damage: { $ref: '#/components/schemas/Damage' },
            insurer: { $ref: '#/components/schemas/Insurer' },
            policyholder: { $ref: '#/components/schemas/Policyholder' },
            damageAddress: {
              $ref: '#/components/schemas/Address',
              description:
                "Where the damage is (skadested). Absent means the policyholder's address. Becomes the Installationsadresse when it differs from the customer's address.",
            },
            contacts: {
              type: ['array', 'null'],
              items: { $ref: '#/components/schemas/Contact' },
            },
          },
        },
      },
    },
  };
}
