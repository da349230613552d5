export * from './contracts.js';
export * from './device-keys.js';
