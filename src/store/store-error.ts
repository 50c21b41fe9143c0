/** The database cannot be used as it is (newer schema, unwritable file, corrupt file). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
