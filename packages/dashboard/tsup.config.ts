import { packageBuild } from '../../tsup.base';

// shims: the CJS build gets import.meta.url, which chart-source.ts resolves chart.js from.
export default packageBuild({ shims: true });
