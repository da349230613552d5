import { defineFleetwatchProject } from '../vitest.shared.js';

export default defineFleetwatchProject('deploy');
