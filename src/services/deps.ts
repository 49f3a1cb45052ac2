import type { Config } from '../config/types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Keyring } from '../lib/secret-box';
import type { Db } from '../store/db';

/** What the use-cases need: the store, the key that seals secrets, time, configuration, a log. */
export interface ServiceDeps {
  db: Db;
  keyring: Keyring;
  clock: Clock;
  config: Config;
  logger: Logger;
}
