import { reviewOpenApi, type OpenApiDocument } from '@fleetwatch/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMaintenanceApp, type MaintenanceTestContext } from './helpers.js';

describe('the OpenAPI document', () => {
  let context: MaintenanceTestContext;

  beforeAll(async () => {
    context = await startMaintenanceApp();
  });
  afterAll(async () => {
    await context.close();
  });

  it('documents every route completely, with an example for every field a client sends', () => {
    const review = reviewOpenApi(context.app.swagger() as unknown as OpenApiDocument, '/v1/maintenance/');
    expect(review.operations).toHaveLength(20);
    expect(review.gaps).toEqual([]);
  });
});
