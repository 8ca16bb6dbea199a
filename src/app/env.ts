import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig, type Config } from "../config.js";

/** Loads `.env` (quietly; real environment variables win) and parses the configuration once. */
export function configFromEnvironment(): Config {
  loadDotenv({ quiet: true });
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const consoleLogger = {
  info: (m: string) => console.log(m),
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
