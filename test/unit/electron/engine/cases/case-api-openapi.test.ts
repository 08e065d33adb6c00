import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseApiJsonSchemas } from '../../../../../electron/engine/cases/case-api';
import type { CaseSystem } from '../../../../../electron/engine/cases/case-system';
import {
  startCaseContractServer,
  type CaseContractServer,
} from '../../../../testbed/case-contract-server';
import { OPENAPI_FILE, buildCaseApiOpenApi } from '../../../../tools/case-api-openapi';

const root = path.resolve(__dirname, '../../../../..');
const shipped = JSON.parse(fs.readFileSync(path.join(root, OPENAPI_FILE), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; parameters?: unknown[] }>>;
  components: { schemas: Record<string, { required?: string[] }> };
};

/** Every CaseSystem method (but close) and the operation that serves it. */
const OPERATIONS: Record<Exclude<keyof CaseSystem, 'close'>, string> = {
  findByCallerId: 'caller_id_hint',
  verify: 'verify',
  release: 'release',
  nextPayment: 'next_payment',
  applications: 'applications',
  nextAppointment: 'next_appointment',
  caseworker: 'caseworker',
  householdMembers: 'household_members',
  benefitPeriod: 'benefit_period',
  contactNotes: 'contact_notes',
  addContactNote: 'add_contact_note',
  caseContext: 'case_context',
};

const operations = () =>
  Object.entries(shipped.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ route, method, op })),
  );

describe('the case-system OpenAPI document', () => {
  it('is what the generator makes from the zod schemas (run npx tsx test/tools/case-api-openapi.ts)', () => {
    expect(shipped).toEqual(buildCaseApiOpenApi());
    expect(shipped.components.schemas).toEqual(caseApiJsonSchemas());
  });

  it('has one operation for every CaseSystem method', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.values(OPERATIONS).sort());
  });

  it('resolves every $ref', () => {
    const text = JSON.stringify(shipped);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!));
    for (const ref of refs) {
      const target = ref
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], shipped);
      expect(target, ref).toBeDefined();
    }
  });

  it('echoes caseId in every case answer and demands the audit headers everywhere', () => {
    for (const name of Object.keys(shipped.components.schemas)) {
      if (name.endsWith('Response') && name !== 'VerifyResponse') {
        expect(shipped.components.schemas[name]!.required, name).toContain('caseId');
      }
    }
    expect(shipped.components.schemas.CaseContext!.required).toContain('caseId');
    for (const { route, method, op } of operations()) {
      expect(JSON.stringify(op.parameters), `${method} ${route}`).toContain('parameters/Who');
      expect(JSON.stringify(op.parameters), `${method} ${route}`).toContain('parameters/Why');
    }
  });
});

describe('the contract server serves every path of the document', () => {
  let server: CaseContractServer;
  beforeAll(async () => {
    server = await startCaseContractServer({ demoHouseholds: 2 });
  }, 30_000);
  afterAll(() => server?.close());

  it('routes every operation (no 404 "No such route")', async () => {
    for (const { route, method } of operations()) {
      const url = `${server.url}${route.replace('{caseId}', 'DEMO-0001')}`;
      const response = await fetch(url, {
        method: method.toUpperCase(),
        ...(method === 'post'
          ? { body: '{}', headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const body = (await response.json()) as { title?: string };
      // Without audit headers every route answers 400: it was found, and it insists on them.
      expect([response.status, body.title], `${method} ${route}`).toEqual([
        400,
        'Audit headers missing',
      ]);
    }
    const unknown = await fetch(`${server.url}/cases/DEMO-0001/secrets`);
    expect(unknown.status).toBe(404);
  });
});
