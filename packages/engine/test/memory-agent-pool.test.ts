import { describeAgentPoolConformance } from '../../../test/conformance/agent-pool';
import { createMemoryAgentPool } from '../src/index';

describeAgentPoolConformance('memory', async () => ({ pool: createMemoryAgentPool() }));
