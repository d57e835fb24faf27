import { describeStoreConformance } from '../../../test/conformance/store';
import { createMemoryStore } from '../src/index';

describeStoreConformance('memory', async () => ({ store: createMemoryStore() }));
