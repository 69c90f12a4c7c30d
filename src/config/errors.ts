/** An invalid or incomplete configuration: the message names the key and what is wrong (exit 2). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
