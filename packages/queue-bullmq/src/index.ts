export type { BullJobQueueOptions } from './bullmq-job-queue';
export { BullJobQueue, createBullJobQueue } from './bullmq-job-queue';
export { fromBullJobId, toBullJobId, toBullQueueName } from './job-ids';
