import { Option } from 'commander';
import { HTTP_LIMIT_DEFAULTS } from '../shared/http-limits.js';

/** `--request-timeout`, `--headers-timeout`, `--keep-alive-timeout`, `--max-connections`. */
export function httpLimitOptions(env: (name: string) => string): Option[] {
  const d = HTTP_LIMIT_DEFAULTS;
  return [
    new Option('--request-timeout <seconds>', 'a request must arrive whole within this time')
      .env(env('REQUEST_TIMEOUT'))
      .default(d.requestTimeout),
    new Option('--headers-timeout <seconds>', "a request's headers must arrive within this time")
      .env(env('HEADERS_TIMEOUT'))
      .default(d.headersTimeout),
    new Option('--keep-alive-timeout <seconds>', 'an idle keep-alive connection is closed after')
      .env(env('KEEP_ALIVE_TIMEOUT'))
      .default(d.keepAliveTimeout),
    new Option('--max-connections <n>', 'most connections open at once; more are closed')
      .env(env('MAX_CONNECTIONS'))
      .default(d.maxConnections),
  ];
}
