import { parseFlags } from '../cli/args.js';
import { commands } from '../cli/commands.js';
import { UserError } from '../core/errors.js';
import { commandFlags, type FlagSpec } from '../cli/flags.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const HELP = `Usage: streamform completion bash|zsh|fish

Prints a completion script for the shell: every command, and each command's flags.

  bash   source <(streamform completion bash)      e.g. in ~/.bashrc
  zsh    source <(streamform completion zsh)       in ~/.zshrc, after compinit
  fish   streamform completion fish > ~/.config/fish/completions/streamform.fish`;

/** What the script completes for one command. */
interface Completion {
  name: string;
  summary: string;
  flags: Flag[];
  /** Fixed words for its argument; else file names when it takes arguments. */
  words?: readonly string[];
  positionals: boolean;
}

interface Flag {
  long: string;
  short?: string;
  value: boolean;
  repeatable: boolean;
}

/** The CLI's own flags, before any command. */
const GLOBAL_FLAGS = ['--help', '-h', '--version', '-v'];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('completion', argv, {}, true);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const [shell, ...extra] = positionals;
  if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    const got = positionals.length === 0 ? 'nothing' : `'${positionals.join(' ')}'`;
    throw new UserError(`completion: expected one shell, bash, zsh or fish, got ${got}`);
  }
  const completions: Completion[] = [];
  for (const [name, command] of Object.entries(commands)) {
    const { options, positionals: takesArguments } = await commandFlags(await command.load());
    completions.push({ name, summary: command.summary, flags: flagsOf(options), positionals: takesArguments, words: name === 'completion' ? SHELLS : undefined });
  }
  process.stdout.write(SCRIPTS[shell as Shell](completions));
  return 0;
}

function flagsOf(options: FlagSpec): Flag[] {
  return Object.entries(options).map(([long, option]) => ({ long, short: option.short, value: option.type === 'string', repeatable: option.multiple === true }));
}

/** Every spelling of a flag: --file -f. */
function spellings(flag: Flag): string[] {
  return [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])];
}

const SCRIPTS: Record<Shell, (completions: Completion[]) => string> = { bash, zsh, fish };

function bash(completions: Completion[]): string {
  const cases = completions.map((c) => {
    const all = c.flags.flatMap(spellings).join(' ');
    const valued = c.flags.filter((f) => f.value).flatMap(spellings).join(' ');
    return `    ${c.name}) flags='${all}'; valued='${valued}'; words='${(c.words ?? []).join(' ')}' ;;`;
  });
  return `# bash completion for streamform; load it with: source <(streamform completion bash)
_streamform() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W '${[...completions.map((c) => c.name), ...GLOBAL_FLAGS].join(' ')}' -- "$cur"))
    return
  fi
  local flags='' valued='' words=''
  case \${COMP_WORDS[1]} in
${cases.join('\n')}
  esac
  # A flag's value, or a file argument: left to -o default, which completes file names.
  case " $valued " in *" $prev "*) return ;; esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [ -n "$words" ]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -o default -F _streamform streamform
`;
}

function zsh(completions: Completion[]): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const spec = (flag: Flag, spelling: string) => {
    const repeat = flag.repeatable ? '*' : '';
    // --out=: takes "--out=VALUE" or "--out VALUE"; -f+: takes "-fVALUE" or "-f VALUE".
    const value = flag.value ? `${spelling.startsWith('--') ? '=' : '+'}:value:_files` : '';
    return quote(`${repeat}${spelling}${value}`);
  };
  const cases = completions.map((c) => {
    const specs = c.flags.flatMap((flag) => spellings(flag).map((spelling) => spec(flag, spelling)));
    if (c.words) specs.push(quote(`1:argument:(${c.words.join(' ')})`));
    else if (c.positionals) specs.push(quote('*:file:_files'));
    return `    ${c.name}) specs=(${specs.join(' ')}) ;;`;
  });
  return `#compdef streamform
# zsh completion for streamform; load it with: source <(streamform completion zsh)
# (after compinit), or save it as _streamform in a folder of $fpath.
_streamform() {
  local -a commands specs
  commands=(
${completions.map((c) => `    ${quote(`${c.name}:${c.summary}`)}`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'streamform command' commands
    return
  fi
  case $words[2] in
${cases.join('\n')}
  esac
  shift words
  (( CURRENT-- ))
  _arguments -s $specs
}
if [ "$funcstack[1]" = "_streamform" ]; then
  _streamform "$@"
else
  compdef _streamform streamform
fi
`;
}

function fish(completions: Completion[]): string {
  const quote = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;
  const lines = completions.flatMap((c) => {
    const when = `-n ${quote(`__fish_seen_subcommand_from ${c.name}`)}`;
    return [
      `complete -c streamform -n __fish_use_subcommand -a ${c.name} -d ${quote(c.summary)}`,
      ...c.flags.map((flag) => `complete -c streamform ${when}${flag.short ? ` -s ${flag.short}` : ''} -l ${flag.long}${flag.value ? ' -r -F' : ''}`),
      ...(c.words ? [`complete -c streamform ${when} -a ${quote(c.words.join(' '))}`] : c.positionals ? [`complete -c streamform ${when} -F`] : []),
    ];
  });
  return `# fish completion for streamform; load it with: streamform completion fish | source
# or save it as ~/.config/fish/completions/streamform.fish
complete -c streamform -f
complete -c streamform -n __fish_use_subcommand -s h -l help -d 'show the usage'
complete -c streamform -n __fish_use_subcommand -s v -l version -d 'print the version'
${lines.join('\n')}
`;
}
