import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/scalepoint/openapi';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  expect(value).toBeTypeOf('object');
  expect(value).not.toBeNull();
  return value as Json;
}

/** Follows a local `#/components/...` reference. */
function deref(doc: Json, value: unknown): Json {
  const o = obj(value);
  const ref = o.$ref;
  if (typeof ref !== 'string') return o;
  expect(ref.startsWith('#/')).toBe(true);
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = obj(cur)[part];
  return obj(cur);
}

const samplesDir = path.resolve(import.meta.dirname, '../../samples/scalepoint');
const sampleFiles = readdirSync(samplesDir).filter((f) => f.endsWith('.json')).sort();

describe('openApiDocument', () => {
  const doc = openApiDocument('https://kladde.example.dk');
  const post = obj(obj(obj(doc.paths)['/api/scalepoint/claims']).post);

  it('is OpenAPI 3.1 with the app URL as server', () => {
    expect(String(doc.openapi)).toMatch(/^3\.1\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://kladde.example.dk' })]);
    expect(openApiDocument('http://localhost:3000/').servers).toEqual([expect.objectContaining({ url: 'http://localhost:3000' })]);
  });

  it('documents every response of the spec with a description', () => {
    const responses = obj(post.responses);
    expect(Object.keys(responses).sort()).toEqual(['200', '201', '400', '401', '409', '413', '415', '422', '503']);
    for (const r of Object.values(responses)) expect(obj(r).description).toBeTypeOf('string');
    const schemaOf = (code: string) => deref(doc, obj(obj(obj(responses[code]).content)['application/json']).schema);
    expect(schemaOf('201').required).toEqual(['status', 'orderId', 'customerId']);
    expect(schemaOf('200').required).toEqual(['status', 'orderId']);
    expect(schemaOf('422').required).toEqual(['error']);
    expect(obj(obj(schemaOf('409').properties).error).const).toBe('module_disabled');
  });

  it('documents the four headers, required', () => {
    const params = (post.parameters as unknown[]).map((p) => deref(doc, p));
    const headers = params.filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name).sort()).toEqual(
      ['scalepoint-account-id', 'webhook-id', 'webhook-signature', 'webhook-timestamp'].sort(),
    );
    for (const h of headers) {
      expect(h.required).toBe(true);
      expect(h.description).toBeTypeOf('string');
    }
    const sig = String(headers.find((h) => h.name === 'webhook-signature')?.description);
    expect(sig).toContain('HMAC-SHA256');
    expect(sig).toContain('whsec_');
    expect(sig).toContain('300');
    expect(sig).toContain('v1,');
  });

  it('describes the JSON claim body with its required fields and the spec example', () => {
    const body = obj(post.requestBody);
    expect(body.required).toBe(true);
    const media = obj(obj(body.content)['application/json']);
    const claim = deref(doc, media.schema);
    expect(claim.required).toEqual(expect.arrayContaining(['caseNumber', 'insurer', 'policyholder']));
    const props = obj(claim.properties);
    expect(obj(props.caseNumber)).toMatchObject({ type: 'string', minLength: 1, maxLength: 64 });
    expect(deref(doc, props.insurer).required).toEqual(['name']);
    expect(deref(doc, props.policyholder).required).toEqual(['name']);
    expect(obj(media.example).caseNumber).toBe('SP-2026-104233');
    expect(JSON.stringify(doc)).toContain('256 KiB');
  });

  it('is plain JSON data', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('sample claims', () => {
  it('exist', () => {
    expect(sampleFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(sampleFiles)('%s is a valid claim body', (file) => {
    const raw = readFileSync(path.join(samplesDir, file));
    expect(raw.length).toBeLessThanOrEqual(256 * 1024);
    const claim = obj(JSON.parse(raw.toString('utf8')));
    expect(claim.caseNumber).toBeTypeOf('string');
    expect(String(claim.caseNumber).trim().length).toBeGreaterThanOrEqual(1);
    expect(String(claim.caseNumber).length).toBeLessThanOrEqual(64);
    expect(String(obj(claim.insurer).name).trim()).not.toBe('');
    expect(obj(claim.insurer).name).toBeTypeOf('string');
    expect(obj(claim.policyholder).name).toBeTypeOf('string');
    expect(String(obj(claim.policyholder).name).trim()).not.toBe('');
  });

  it('have distinct case numbers', () => {
    const numbers = sampleFiles.map((f) => (JSON.parse(readFileSync(path.join(samplesDir, f), 'utf8')) as Json).caseNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
