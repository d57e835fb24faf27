import { describeAgentPoolConformance } from '../../../test/conformance/agent-pool';
import { createMemoryAgentPool } from '../src/index';

describeAgentPoolConformance('memory', async () => {
  const pool = createMemoryAgentPool();
  return { pool, footprint: async () => ({ callers: [pool.waitingEntries()] }) };
});
