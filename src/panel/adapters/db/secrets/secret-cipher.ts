/**
 * The port the database adapter seals secrets with (node tokens, peer private and preshared keys):
 * a text in, a self-describing text out, bound to the row it belongs to. The repositories seal
 * on write and open on read, so the app and domain layers only ever see clear values.
 */
export interface SecretCipher {
  /**
   * Seals `clear` for storage. `binding` names the row and column the value belongs to
   * (`peers.private_key|<configuration id>|<public key>`): the sealed text opens only with the same
   * binding, so a value copied into another row or column is refused, not served.
   */
  seal(clear: string, binding: string): string;
  /** Opens what `seal` made with the same binding; throws SecretUnreadableError otherwise. */
  open(sealed: string, binding: string): string;
}

/** Every sealed value starts with this (then the format version): clear values never do. */
export const SEALED_PREFIX = 'enc:';

/** Whether a stored value is sealed (else it is a clear value written before sealing existed). */
export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

/**
 * A sealed value that does not open: another key, a value moved from another row, or a damaged
 * one. The message names the place (`binding`, which holds no secret), never the value.
 */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';
  constructor(
    readonly binding: string,
    reason: string,
  ) {
    super(`the secret ${binding} cannot be opened: ${reason}`);
  }
}

/** A handle opened without a key: sealing (and opening a sealed value) fails, and says why. */
export const NO_SECRET_KEY: SecretCipher = {
  seal(_clear, binding) {
    throw new SecretUnreadableError(binding, 'the database was opened without a secret key');
  },
  open(_sealed, binding) {
    throw new SecretUnreadableError(binding, 'the database was opened without a secret key');
  },
};
