import { Schema } from 'mongoose';

/** A `SealedSecret` of @contact-sync/secrets as a subdocument (never the plaintext). */
export const sealedSecretSchema = new Schema(
  {
    v: { type: Number, required: true },
    kid: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    data: { type: String, required: true },
  },
  { _id: false },
);
