/** A CLI command: takes the arguments after its name, returns the exit code (undefined = keep running). */
export type Command = (argv: string[]) => Promise<number | undefined>;

/** An expected failure (bad input): printed as one clear message, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Minimal flag parsing: `--name value`, `--flag`, positional arguments. */
export function parseArgs(argv: string[], flags: readonly string[] = []): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) options[key] = inline;
      else if (flags.includes(key) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) options[key] = true;
      else options[key] = argv[++i];
    } else positional.push(a);
  }
  return { positional, options };
}
