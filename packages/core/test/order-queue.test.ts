import { describe, expect, it } from 'vitest';
import { ORDER_JOB_ATTEMPTS, ORDER_QUEUE, orderJobOptions } from '../src/index';

describe('the order queue contract', () => {
  it('names the queue, the runs and the backoff once', () => {
    expect(ORDER_QUEUE).toBe('fulfilment');
    expect(orderJobOptions({ idempotencyKey: 'order:a-1' })).toEqual({
      idempotencyKey: 'order:a-1',
      maxAttempts: ORDER_JOB_ATTEMPTS,
      backoffMs: 5_000,
    });
    expect(orderJobOptions({ idempotencyKey: 'order:a-1' }, 2).maxAttempts).toBe(2);
  });
});
