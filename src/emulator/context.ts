import type { Store } from './state.js';

export type Json = Record<string, unknown>;

/** What an operation handler sees besides its (already validated) input. */
export interface Context {
  store: Store;
  /** The page size to serve: the caller's request (0 or absent: the operation's default), capped by --page-size. */
  pageSize(defaultSize: number, requested?: number): number;
  /** The access key the request is signed with, and its session token (signatures are not checked). */
  credentials: { accessKeyId?: string; sessionToken?: string };
}

/** Returns the output structure, or throws a ServiceError. */
export type Handler = (input: Json, ctx: Context) => Json;
