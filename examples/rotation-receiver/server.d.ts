/** Types for server.js, so TypeScript tests and services can import it. */
import type { Server } from 'node:http';

export interface SigningSecret { id: string; secret: string }

export interface ReceiverOptions {
  apiKeys: string[];
  /** The current signing secret first, then the previous one. */
  signingSecrets: SigningSecret[];
  skewSeconds?: number;
  knownFingerprints?: string[];
  log?: (line: string) => void;
  now?: () => number;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

export interface InjectedResponse { status: number; retryAfter?: string; delayMs?: number; body?: string }

export interface Receiver {
  server: Server;
  requests: ReceivedRequest[];
  revoked: { incidentId: string; fingerprint: string; ruleId: string; body: unknown }[];
  inject(response: InjectedResponse, times?: number): void;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function computeSignature(secret: string, timestamp: string, nonce: string, rawBody: Buffer | string): string;
export function verifySignature(signingSecrets: SigningSecret[], keyId: string, timestamp: string, nonce: string, rawBody: Buffer | string, signature: unknown): boolean;
export function createReceiver(options: ReceiverOptions): Receiver;
