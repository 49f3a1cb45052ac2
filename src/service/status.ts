import type { ServicePlatform } from './plan';

/** What `service status` says: whether the service is installed, running and started at boot. */
export interface ServiceStatus {
  platform: ServicePlatform;
  service: string;
  definition: string;
  installed: boolean;
  running: boolean;
  startsAtBoot: boolean;
  /** In words: "running", "stopped", "stopped after a failure", "not installed"… */
  state: string;
  /** One sentence for a person. */
  summary: string;
}

/** The output of a command that only looks. */
export interface ProbeResult {
  /** The exit status; null when the command could not be run at all (not found) or was killed. */
  status: number | null;
  stdout: string;
}

/** How a platform's status looks at the machine; injected, so the reading of answers is tested without a service manager. */
export interface StatusProbe {
  run(argv: readonly string[]): ProbeResult;
  exists(path: string): boolean;
}
