import { describeFulfilmentStoreConformance } from '../../../test/conformance/fulfilment-store';
import { createMemoryFulfilmentStore } from '../src/index';

describeFulfilmentStoreConformance('in-memory', async () => ({ store: createMemoryFulfilmentStore() }));
