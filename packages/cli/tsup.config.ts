import { packageBuild } from '../../tsup.base';

// The library entry and the `paceline` bin (`dist/bin.js`; tsup keeps the shebang and sets the mode).
export default packageBuild({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
