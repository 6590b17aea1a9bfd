/** One line that says what AWS answered, for a diagnostic, an event or the CLI's last words. */
export function awsErrorMessage(error: unknown): string {
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name && err.name !== 'Error' ? err.name : undefined;
  const message = (err?.message ?? String(error)).split('\n')[0];
  if (name === 'TimeoutError' || name === 'AbortError') return message;
  return name && !message.startsWith(name) ? `${name}: ${message}` : message;
}

/** The SDK's classification, plus the errors it does not retry that are still worth retrying. */
export function isThrottling(error: unknown): boolean {
  const err = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return Boolean(err?.$retryable?.throttling) || err?.$metadata?.httpStatusCode === 429 || /Throttl|RequestLimitExceeded|TooManyRequests/.test(err?.name ?? '');
}
