import { version } from '../package.json';

/** This CLI's version, from its package.json (inlined by the build; `paceline --version`). */
export const CLI_VERSION: string = version;
