import { reviewOpenApi, type OpenApiDocument } from '@fleetwatch/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrewApp, type CrewTestContext } from './helpers.js';

describe('the OpenAPI document', () => {
  let context: CrewTestContext;

  beforeAll(async () => {
    context = await startCrewApp();
  });
  afterAll(async () => {
    await context.close();
  });

  it('documents every route completely, with an example for every field a client sends', () => {
    const review = reviewOpenApi(context.app.swagger() as unknown as OpenApiDocument, '/v1/crew/');
    expect(review.operations).toHaveLength(28);
    expect(review.gaps).toEqual([]);
  });
});
