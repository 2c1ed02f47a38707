import type { FastifyInstance } from 'fastify';

/**
 * Public keys in query strings (`id=`, every endpoint that takes one) from clients that do not
 * URL-encode: a `+` of the base64 key arrives as a space. Base64 has no spaces, so a space in
 * `id` can only be such a `+`; it is read back as one before validation, instead of a 400 or an
 * unknown peer.
 */
export function registerQueryKeyRepair(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const query = req.query as Record<string, unknown> | undefined;
    if (typeof query?.id === 'string' && query.id.includes(' '))
      query.id = query.id.replace(/ /g, '+');
  });
}
