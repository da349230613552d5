import { ProblemError, VALIDATION_PROBLEM_TYPE } from '@fleetwatch/service-kit';

/** The same answer whether the resource does not exist or belongs to another tenant. */
export function notFound(what: string): ProblemError {
  return new ProblemError(404, { title: 'Not Found', detail: `${what} was not found.` });
}

export function invalidField(location: string, pointer: string, message: string): ProblemError {
  return new ProblemError(400, {
    type: VALIDATION_PROBLEM_TYPE,
    title: 'Request validation failed',
    detail: `The request ${location} is invalid.`,
    errors: [{ in: location, pointer, message }],
  });
}
