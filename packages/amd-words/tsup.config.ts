import { packageBuild } from '../../tsup.base';

// shims: the CJS build gets import.meta.url, which moonshine-transcriber.ts finds the model package and its
// worker script (dist/transcription-worker.{js,cjs}, the second entry) from.
export default packageBuild({ entry: ['src/index.ts', 'src/transcription-worker.ts'], dts: { entry: 'src/index.ts' }, shims: true });
