import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PanelError, type PanelErrorCode } from '../app/errors.js';
import { failure } from './envelope.js';

const STATUS: Record<PanelErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  method_not_allowed: 405,
  node_unavailable: 502,
  not_offered: 501,
  delivery_failed: 502,
};

/** Maps every error to the envelope and one status; internals of a 5xx stay in the log. */
export function panelErrorHandler(
  err: FastifyError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  if (err instanceof PanelError) {
    if (err.code === 'node_unavailable') req.log.warn({ err: err.message }, 'node unavailable');
    if (err.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(err.retryAfterSeconds));
    return reply.status(STATUS[err.code]).send(failure(err.message, err.field));
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    // JSON pointer → a path as scripts write it: /peers/1/configuration → peers[1].configuration.
    const path = (first?.instancePath ?? '')
      .split('/')
      .slice(1)
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
      .join('')
      .replace(/^\./, '');
    const params = (first?.params ?? {}) as {
      missingProperty?: string;
      additionalProperty?: string;
    };
    const field =
      [path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.') ||
      fe.validationContext ||
      'request';
    const what = params.missingProperty
      ? 'is required'
      : params.additionalProperty
        ? 'is not allowed'
        : (first?.message ?? 'is invalid');
    return reply.status(400).send(failure(`${field}: ${what}`, field));
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fixed texts: a parser's message may quote the body, and bodies carry keys and passwords.
    const message =
      fe.statusCode === 413
        ? 'body: too large'
        : fe.statusCode === 415
          ? 'body: send application/json'
          : 'body: not valid JSON';
    return reply.status(fe.statusCode).send(failure(message, 'body'));
  }
  req.log.error({ err }, 'request failed');
  return reply.status(500).send(failure('internal error'));
}

/**
 * Errors of the router, before any route runs: a path parameter longer than it takes (414) or a
 * URL it cannot decode (400), as envelopes (Fastify's own body has another shape).
 */
export function panelFrameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  return err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? reply.status(414).send(failure('path: a part is too long', 'path'))
    : reply.status(400).send(failure('path: not a valid URL', 'path'));
}
