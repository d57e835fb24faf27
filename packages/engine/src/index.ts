export { createMemoryJobQueue, MemoryJobQueue } from './memory-job-queue';
export { createMemoryStore, MemoryStore } from './memory-store';
