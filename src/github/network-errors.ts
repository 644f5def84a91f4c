// Octokit reports a request that never got an answer (refused connection, unknown host,
// timeout) as a RequestError with status 500, the fetch failure as its cause and no
// response. Said as "GitHub answered 500" it sends people looking at GitHub instead of at
// their network, DNS or GHE_HOST: this tells the two apart and names the network failure.

interface FailureLike {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
  response?: unknown;
  cause?: unknown;
  request?: { url?: string };
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for an answer',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the answer',
};

function causes(error: unknown): FailureLike[] {
  const chain: FailureLike[] = [];
  let at: unknown = error;
  while (typeof at === 'object' && at !== null && chain.length < 5) {
    chain.push(at as FailureLike);
    at = (at as FailureLike).cause;
  }
  return chain;
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * "Network error …" when a request got no answer (a fetch failure or a timeout, with no
 * HTTP response), or null when GitHub answered (whatever the status) or it is another error.
 */
export function networkFailure(error: unknown): string | null {
  const chain = causes(error);
  const top = chain[0];
  if (!top || top.response !== undefined) return null;
  const fetchFailed = chain.some((e) => e.name === 'TypeError' && e.message === 'fetch failed');
  // A deliberate abort (a superseded review) is not a network failure; a timeout is.
  const timedOut = chain.some((e) => e.name === 'TimeoutError');
  if (!fetchFailed && !timedOut) return null;
  const coded = chain.find((e) => typeof e.code === 'string' && e.code !== '');
  const host = hostOf(top.request?.url);
  const to = host ? ` (${host})` : '';
  let reason: string;
  if (coded?.code) {
    const known = REASONS[coded.code] ?? (coded.code.includes('CERT') ? 'TLS certificate not accepted' : (coded.message ?? '').split('\n')[0]);
    reason = `${known}, ${coded.code}`;
  } else if (timedOut) {
    reason = 'timed out';
  } else {
    reason = (chain[chain.length - 1]!.message ?? 'fetch failed').split('\n')[0]!;
  }
  return `Network error, no answer from GitHub: ${reason}${to}`;
}
