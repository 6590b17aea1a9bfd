/**
 * An error answer of an emulated service, named by its model shape. The protocol layer turns it
 * into the wire form (status, `__type` or `X-Amzn-ErrorType`).
 */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** Overrides the status the model gives the shape (faults, and shapes the model does not have). */
    readonly status?: number,
    /** Nimble's `context` member, e.g. `{resourceId}` on ResourceNotFoundException. */
    readonly context?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string, context?: Record<string, string>) =>
  new ServiceError('ResourceNotFoundException', `${what} ${id} does not exist.`, undefined, context);
