/**
 * The commands of the CLI: the one list that the dispatcher, the usage, the "did you mean" of a
 * misspelt command and `streamform completion` read. Each module is loaded only when it runs, so
 * that importing this list stays as light as bare node.
 */
export type CommandModule = { run(argv: string[]): Promise<number> };

export interface Command {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, Command> = {
  validate: { summary: 'check a config against the schema and rules (no AWS calls)', load: () => import('../commands/validate.js') },
  plan: { summary: 'show the API calls that would make AWS match the config', load: () => import('../commands/plan.js') },
  apply: { summary: 'make AWS match the config (or apply a saved plan)', load: () => import('../commands/apply.js') },
  merge: { summary: 'join plans of several targets, saved by separate jobs, into one', load: () => import('../commands/merge.js') },
  show: { summary: 'print a plan saved with plan --out again (text, JSON or Markdown)', load: () => import('../commands/show.js') },
  drift: { summary: 'report changes made outside streamform and health problems', load: () => import('../commands/drift.js') },
  diff: { summary: 'compare two configs without AWS access', load: () => import('../commands/diff.js') },
  import: { summary: 'write a config that declares what an account already has', load: () => import('../commands/import.js') },
  emulator: { summary: 'run the local AppStream 2.0 + Nimble Studio emulator', load: () => import('../commands/emulator.js') },
  demo: { summary: 'plan and apply an example studio against an in-process emulator', load: () => import('../commands/demo.js') },
  completion: { summary: 'print a completion script for bash, zsh or fish', load: () => import('../commands/completion.js') },
};
