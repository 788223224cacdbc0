// What main.ts shares with the command files, kept apart from options.ts (which loads the model
// code) so that `facereid --help` loads no more than commander and this.

import type { Command } from 'commander';

/** A command line that cannot be run as written: one line on stderr and exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a command file exports: its arguments and options, and what it does (its exit status). */
export interface CommandModule {
  define(command: Command): Command;
  /** Called with the command's arguments, then its options (as commander passes them). */
  run(...args: never[]): Promise<number>;
}
