import { expect, it } from 'vitest';
it('placeholder', () => expect(1).toBe(1));
