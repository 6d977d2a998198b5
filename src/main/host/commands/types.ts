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

/**
 * Minimal flag parsing: `--name value`, `--flag`, positional arguments. With `values` (the options that take a
 * value), any other option is refused with the list of those the command knows: a typo such as `--epoch 5`
 * must not silently train with the default.
 */
export function parseArgs(argv: string[], flags: readonly string[] = [], values?: readonly string[]): { positional: string[]; options: Record<string, string | true> } {
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
  if (values) {
    const known = [...flags, ...values];
    const unknown = Object.keys(options).find((k) => !known.includes(k));
    if (unknown !== undefined) {
      const near = known.find((k) => editDistance(k, unknown) <= 2);
      throw new CliError(`unknown option --${unknown}${near ? ` (did you mean --${near}?)` : ''}; the options here are ${known.map((k) => `--${k}`).join(', ') || 'none'}`, 2);
    }
  }
  return { positional, options };
}

/** Levenshtein distance (option names are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
