/** One line that says what AWS answered, for a diagnostic, an event or the CLI's last words. */
export function awsErrorMessage(error: unknown): string {
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name && err.name !== 'Error' && err.name !== 'UserError' ? err.name : undefined;
  const message = (err?.message ?? String(error)).split('\n')[0];
  // The HTTP handler names itself in its timeout messages; the user needs only what happened.
  if (name === 'TimeoutError' || name === 'AbortError') return message.replace(/^@smithy\/[\w-]+ - \[\w+\] /, '');
  if (name === 'CredentialsProviderError') {
    return `no usable AWS credentials (${message}); use --profile or AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  // The SDK's name for an answer it cannot read as an AWS error: something else answers at the endpoint.
  const status = err?.$metadata?.httpStatusCode;
  if (message === 'UnknownError' && status !== undefined) return `the endpoint answered HTTP ${status}, which is not an AWS error response; is the endpoint right?`;
  // A JSON answer that does not parse (answers of other media types are refused before, in clients.ts).
  if (name === 'SyntaxError' && (error as { $response?: unknown }).$response !== undefined) {
    return `the endpoint answered HTTP ${status ?? (error as { $response: { statusCode?: number } }).$response.statusCode} with a body that is not valid JSON (${message}); is the endpoint right?`;
  }
  return name && !message.startsWith(name) ? `${name}: ${message}` : message;
}

/** The SDK's classification, plus the errors it does not retry that are still worth retrying. */
export function isThrottling(error: unknown): boolean {
  const err = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return Boolean(err?.$retryable?.throttling) || err?.$metadata?.httpStatusCode === 429 || /Throttl|RequestLimitExceeded|TooManyRequests/.test(err?.name ?? '');
}
