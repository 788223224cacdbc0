// The commands by name, and which one the arguments name: read by the start (cli/start.ts: V8's
// flags and the code cache are per command) and by the program (cli/main.ts, whose table holds
// each command's summary and file, and must name every one of these).

/** The commands, in the order --help lists them. */
export const COMMAND_NAMES = ['compare', 'embed', 'enroll', 'identify', 'demo', 'inspect', 'profile', 'run', 'convert', 'track', 'eval'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const isCommand = (name: string | undefined): name is CommandName => (COMMAND_NAMES as readonly (string | undefined)[]).includes(name);

/** The command the arguments name: the first one not an option, or the one after `help`. */
export function commandNamed(args: string[]): string | undefined {
  const first = args.find((arg) => !arg.startsWith('-'));
  return first === 'help' ? args[args.indexOf('help') + 1] : first;
}
