import { ApiException, KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { Deadline } from './Deadline';

/** A single HTTP call against the Kubernetes API. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Overrides the cluster's timeout for this call. */
  timeoutMs?: number;
}

/** A JSON.parse reviver, used to turn timestamps into Dates. */
export type JsonReviver = (key: string, value: unknown) => unknown;

/** An open streaming response (watch). */
export interface TransportStream {
  response: http.IncomingMessage;
  /** Destroys the socket and releases listeners; safe to call twice. */
  close(): void;
}

async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(res: http.IncomingMessage): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) {
      result[key] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return result;
}

/**
 * Minimal HTTP transport on top of client-node's `KubeConfig`.
 *
 * client-node provides the connection settings (CA, client certificates,
 * bearer tokens including rotating in-cluster tokens); the transport owns the
 * request so every call gets the same deadline, cancellation and error shape
 * (`ApiException` with `code` and the Status JSON as `body`), including
 * streaming watches.
 */
export class KubernetesTransport {
  private readonly kubeConfig: KubeConfig;
  private readonly server: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  static create(options: {
    kubeConfig: KubeConfig;
    server: string;
    timeoutMs: number;
    userAgent: string;
  }): KubernetesTransport {
    return new KubernetesTransport(options);
  }

  private constructor(options: {
    kubeConfig: KubeConfig;
    server: string;
    timeoutMs: number;
    userAgent: string;
  }) {
    this.kubeConfig = options.kubeConfig;
    this.server = options.server;
    this.timeoutMs = options.timeoutMs;
    this.userAgent = options.userAgent;
  }

  /** Default per-request timeout of this cluster. */
  get defaultTimeoutMs(): number {
    return this.timeoutMs;
  }

  /** Sends a request and parses the JSON response; throws ApiException on non-2xx. */
  async request<T>(
    request: TransportRequest,
    reviver?: JsonReviver,
  ): Promise<T> {
    const deadline = new Deadline({
      timeoutMs: request.timeoutMs ?? this.timeoutMs,
      parent: request.signal,
    });
    try {
      const res = await this.send(request, deadline.signal);
      const text = await readText(res);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        throw new ApiException(
          status,
          res.statusMessage ?? 'Kubernetes API error',
          text,
          headersOf(res),
        );
      }
      return (text ? JSON.parse(text, reviver) : undefined) as T;
    } catch (err) {
      throw deadline.explain(err);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Opens a streaming GET. The timeout only covers the wait for response
   * headers; afterwards the stream lives until closed, aborted or dropped.
   */
  async stream(request: TransportRequest): Promise<TransportStream> {
    const deadline = new Deadline({
      timeoutMs: request.timeoutMs ?? this.timeoutMs,
      parent: request.signal,
    });
    let res: http.IncomingMessage | undefined;
    try {
      res = await this.send(request, deadline.signal);
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        const text = await readText(res);
        throw new ApiException(
          status,
          res.statusMessage ?? 'Kubernetes API error',
          text,
          headersOf(res),
        );
      }
    } catch (err) {
      res?.destroy();
      deadline.dispose();
      throw deadline.explain(err);
    }
    deadline.clearTimer();
    const response = res;
    return {
      response,
      close: () => {
        response.destroy();
        deadline.dispose();
      },
    };
  }

  private async send(
    request: TransportRequest,
    signal: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== '') {
        url.searchParams.set(key, String(value));
      }
    }
    // Re-evaluated per request so rotating credentials (in-cluster token
    // files, exec plugins) are always current.
    const options: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    signal.throwIfAborted();

    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) {
        headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
      }
    }
    headers.Accept = 'application/json';
    headers['User-Agent'] = this.userAgent;
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }

    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        { ...options, method: request.method, headers, signal },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
