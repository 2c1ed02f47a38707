import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AgentError, type AgentErrorCode } from '../app/errors.js';

const STATUS: Record<AgentErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  wg_failed: 502,
  tc_failed: 502,
};

const limitKiB = (req: FastifyRequest) => Math.round((req.routeOptions.bodyLimit ?? 0) / 1024);

/** One place maps errors to `{error, message}` and a status; 5xx internals stay in the log. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AgentError) {
    if (err.code === 'wg_failed') req.log.warn({ err: err.message }, 'wireguard command failed');
    if (err.code === 'tc_failed')
      req.log.warn({ err: err.message }, 'traffic control command failed');
    return reply.status(STATUS[err.code]).send({ error: err.code, message: err.message });
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    const field = [fe.validationContext, first?.instancePath.replace(/^\//, '').replace(/\//g, '.')]
      .filter(Boolean)
      .join('.');
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const extra = (first?.params as { additionalProperty?: string } | undefined)
      ?.additionalProperty;
    const what = missing
      ? `${field}.${missing}: is required`
      : extra
        ? `${field}.${extra}: is not allowed`
        : `${field}: ${first?.message ?? 'is invalid'}`;
    return reply.status(400).send({ error: 'invalid_input', message: what });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fixed texts: a parser's message may quote the body, and a body may hold a preshared key.
    const [code, message] =
      fe.statusCode === 413
        ? ['body_too_large', `body: larger than the ${limitKiB(req)} KiB limit`]
        : fe.statusCode === 415
          ? ['unsupported_media_type', 'body: send application/json']
          : fe.statusCode === 404
            ? ['not_found', 'no such route']
            : ['invalid_input', 'body: not valid JSON'];
    return reply.status(fe.statusCode).send({ error: code, message });
  }
  req.log.error({ err }, 'request failed');
  return reply.status(500).send({ error: 'internal', message: 'internal error' });
}

/**
 * Errors of the router, before any route runs: a path parameter longer than it takes (414) or a
 * URL it cannot decode (400). Fastify's own body would leave the agent's `{error, message}`
 * shape; the path is not echoed (it may hold a key).
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return reply.status(414).send({ error: 'uri_too_long', message: 'path: a part is too long' });
  return reply.status(400).send({ error: 'invalid_input', message: 'path: not a valid URL' });
}
