export * from './log.mjs';
