export * from './money.js';
export * from './duration.js';
export * from './time.js';
export * from './errors.js';
export * from './mutex.js';
export * from './logger.js';
