import { describeLeaseConformance } from '../../../test/conformance/lease';
import { createMemoryLease } from '../src/index';

describeLeaseConformance('memory', async () => ({ lease: createMemoryLease() }));
