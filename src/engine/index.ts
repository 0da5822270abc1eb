export { startEngine, type Engine } from './engine.js';
export type { Services } from './services.js';
export { VERSION } from './version.js';
