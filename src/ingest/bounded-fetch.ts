// fetch for HTTP servers with a bound on the bytes one response may carry, as stdio bounds stdout.
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  constructor(limit: number) {
    super(`the server sent more than ${limit} bytes in one response; reading stopped`);
  }
}

/**
 * A fetch whose response bodies stop with an error past `limit` bytes: a JSON body or an SSE stream
 * alike, counted as they arrive, so a 700 MB answer is never held (or turned into a string) whole.
 */
export function boundedFetch(limit: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    let seen = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(new ResponseTooLargeError(limit));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
