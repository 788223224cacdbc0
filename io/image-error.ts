/** An image that cannot be used: not a JPEG or PNG, corrupt, truncated, too small or too large. */
export class ImageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImageError';
  }
}
