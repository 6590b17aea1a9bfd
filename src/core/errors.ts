/**
 * A problem the user can fix (bad flag, bad config, bad plan file, an AWS error).
 * The CLI prints its message as one line and exits with `exitCode`, never with a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
