import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/** A secret as stored: AES-256-GCM with a random IV per record, its tag, and which key sealed it. */
export const sealedSchema = z.object({
  alg: z.literal("aes-256-gcm"),
  /** Names the key (a hash prefix, never the key): a record sealed with an older key is recognised as such. */
  keyId: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string(),
});
export type Sealed = z.infer<typeof sealedSchema>;

/** The record cannot be opened: another key sealed it, or it was altered (the tag does not verify). */
export class TokenDecryptError extends Error {
  constructor(
    message: string,
    /** True when the record was sealed with a key this cipher does not have (rather than altered). */
    readonly wrongKey = false,
  ) {
    super(message);
    this.name = "TokenDecryptError";
  }
}

const IV_BYTES = 12;

/** A key's public name: enough to tell keys apart, useless for guessing one. */
function keyIdOf(key: Buffer): string {
  return `k1-${createHash("sha256").update("token-cipher key id").update(key).digest("hex").slice(0, 16)}`;
}

/**
 * Encrypts tokens at rest with AES-256-GCM. Each record gets a fresh IV; `context` (e.g. the workspace id)
 * is bound as additional authenticated data, so a record copied onto another workspace does not open.
 * Older keys may be given to keep opening records sealed before a rotation; new records use the first key.
 */
export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(key: Buffer, previousKeys: Buffer[] = []) {
    for (const k of [key, ...previousKeys]) {
      if (k.length !== 32) throw new RangeError(`an AES-256 key is 32 bytes, not ${k.length}`);
    }
    this.current = { id: keyIdOf(key), key };
    this.keys = new Map([key, ...previousKeys].map((k) => [keyIdOf(k), k]));
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { alg: "aes-256-gcm", keyId: this.current.id, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
  }

  open(sealed: Sealed, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new TokenDecryptError(`sealed with key ${sealed.keyId}, which is not TOKEN_ENCRYPTION_KEY (${this.current.id})`, true);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
    } catch {
      throw new TokenDecryptError("the record does not verify (altered, or stored for another workspace)");
    }
  }
}
