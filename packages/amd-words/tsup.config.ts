import { packageBuild } from '../../tsup.base';

// shims: the CJS build gets import.meta.url, which moonshine-transcriber.ts finds the model package from.
export default packageBuild({ shims: true });
