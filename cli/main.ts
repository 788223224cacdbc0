// facereid command line. Each command is a file exporting `define` (its arguments and options,
// through commander: --help, suggestions, checked values) and `run`; the table below names it
// with a one-line summary and loads its file only when it is the command given, so `facereid
// --help` and a typo load no model code. Every error ends as one line on stderr and exit
// status 2 (compare uses 1 for "different people").

import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../importer/package-root.js';
import { COMMAND_NAMES, commandNamed, isCommand, type CommandName } from './command-named.js';
import { UsageError, type CommandModule } from './usage.js';

/** Each command's summary and file. Adding one: its file, its name in command-named.ts, and a line here. */
const COMMANDS: Record<CommandName, { summary: string; load: () => Promise<CommandModule> }> = {
  compare: { summary: 'whether two photos show the same person (exit 0: same, 1: different)', load: () => import('./compare.js') },
  embed: { summary: 'the embedding of the face in each photo, as JSON', load: () => import('./embed.js') },
  enroll: { summary: 'add people to a gallery from their photos', load: () => import('./enroll.js') },
  identify: { summary: 'name every face in a photo from a gallery, or give it a new ID', load: () => import('./identify.js') },
  demo: { summary: 'every face in the photos that ship with the package, compared', load: () => import('./demo.js') },
  inspect: { summary: "a model's layers, shapes, parameters, FLOPs, passes and memory plan", load: () => import('./inspect.js') },
  profile: { summary: 'time per layer and per op type of a model on a device', load: () => import('./profile.js') },
  run: { summary: 'run any imported net on .npy tensors', load: () => import('./run.js') },
  convert: { summary: 'export a model as ONNX', load: () => import('./convert.js') },
  track: { summary: 'follow and re-identify the faces of a video: a frames folder, a Y4M file or Y4M on stdin', load: () => import('./track.js') },
  eval: { summary: 'LFW verification accuracy', load: () => import('./eval.js') },
};

const version = () => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** The program, with `wanted` (the command the arguments name, if any) defined in full and the others by name and summary. */
async function program(wanted: string | undefined): Promise<{ program: Command; exitCode: () => number }> {
  let code = 0;
  const program = new Command('facereid')
    .description('Face embeddings, comparison and identification in pure TypeScript: MTCNN finds faces, RMNet embeds them.')
    .version(version(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError()
    .configureOutput({ outputError: () => {} }) // errors are printed by main(), as one line
    .exitOverride()
    .addHelpText('after', '\nExamples:\n  facereid compare a.jpg b.jpg\n  facereid embed --all-faces group.jpg\n  facereid compare --help\n');
  for (const name of COMMAND_NAMES) {
    const { summary, load } = COMMANDS[name];
    const command = program.command(name).summary(summary).description(summary);
    if (name !== wanted) continue;
    const module = await load();
    const run = module.run as (...args: unknown[]) => Promise<number>;
    module.define(command).action(async (...args: unknown[]) => {
      code = await run(...args);
    });
  }
  return { program, exitCode: () => code };
}

/** Commander's error text ("error: unknown option '--x'\n(Did you mean --y?)") as one line. */
function oneLine(error: CommanderError, command: string | undefined): string {
  const text = error.message.replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)').replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
  return `${text}; see facereid ${isCommand(command) ? `${command} ` : ''}--help`;
}

async function main(args: string[]): Promise<number> {
  const wanted = commandNamed(args);
  const { program: cli, exitCode } = await program(wanted);
  if (args.length === 0) {
    process.stdout.write(cli.helpInformation());
    return 2;
  }
  try {
    await cli.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return 0; // --help, --version
    throw new UsageError(oneLine(error, wanted));
  }
  return exitCode();
}

// A reader that stops early (`facereid track clip.y4m --json | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  async (error: unknown) => {
    const { ModelNotFoundError } = await import('../importer/models.js'); // only on an error: --help loads no model code
    const message = error instanceof ModelNotFoundError ? error.explain('--models DIR')
      : error instanceof Error ? error.message : String(error);
    process.stderr.write(`facereid: ${message}\n`);
    if (process.env.FACEREID_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
