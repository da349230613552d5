export { seedDemo } from './seed.js';
export type { DemoState, DemoVesselSpec, SeedOptions, SeededVessel } from './seed.js';
export { startRunner } from './runner.js';
export type { Runner, RunnerOptions, RunnerStats } from './runner.js';
export { startDemo } from './demo.js';
export type { Demo, DemoOptions } from './demo.js';
export { runSoak } from './soak.js';
export type { SoakOptions, SoakResult } from './soak.js';
