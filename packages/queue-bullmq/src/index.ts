export type { BullJobQueueOptions } from './bullmq-job-queue';
export { BullJobQueue, createBullJobQueue, QUEUE_CLOSE_TIMEOUT_MS, QUEUE_COMMAND_TIMEOUT_MS } from './bullmq-job-queue';
export { fromBullJobId, toBullJobId, toBullQueueName } from './job-ids';
