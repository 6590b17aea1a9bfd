import { UserError } from '../cli/errors.js';

export async function run(_argv: string[]): Promise<number> {
  throw new UserError('plan: not implemented yet');
}
