#!/usr/bin/env node
import { runCli } from './program';

// Exit explicitly: `run` leaves simulated agents' timers on the system clock behind it.
// Writes to pipes and files are synchronous on POSIX, so no output is lost.
runCli(process.argv).then((code) => process.exit(code));
