import { ServiceUnavailableError } from '@backstage/errors';

/** One series of an instant query (`resultType: vector`). */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range query (`resultType: matrix`). */
export interface PrometheusSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] pairs in time order. */
  values: Array<[number, number]>;
}

type ApiResponse =
  | {
      status: 'success';
      data: { resultType: string; result: unknown[] };
    }
  | { status: 'error'; errorType?: string; error?: string };

/**
 * A minimal client of Prometheus's HTTP API (`/api/v1/query` and
 * `/api/v1/query_range`) for one cluster. Every failure, including an
 * answer that is not Prometheus's, is a ServiceUnavailableError naming the
 * cluster: callers must never read a failed query as "no activity".
 */
export class PrometheusClient {
  private constructor(
    private readonly options: {
      cluster: string;
      baseUrl: string;
      timeoutMs: number;
    },
  ) {}

  static create(options: {
    cluster: string;
    baseUrl: string;
    timeoutMs: number;
  }): PrometheusClient {
    return new PrometheusClient(options);
  }

  async query(promql: string, time: Date): Promise<PrometheusSample[]> {
    const result = await this.call('/api/v1/query', 'vector', {
      query: promql,
      time: toUnix(time),
    });
    return result.map(r => {
      const { metric, value } = r as {
        metric: Record<string, string>;
        value: [number, string];
      };
      return { metric, value: Number(value[1]) };
    });
  }

  async queryRange(
    promql: string,
    range: { start: Date; end: Date; stepSeconds: number },
  ): Promise<PrometheusSeries[]> {
    const result = await this.call('/api/v1/query_range', 'matrix', {
      query: promql,
      start: toUnix(range.start),
      end: toUnix(range.end),
      step: String(range.stepSeconds),
    });
    return result.map(r => {
      const { metric, values } = r as {
        metric: Record<string, string>;
        values: Array<[number, string]>;
      };
      return {
        metric,
        values: values.map(([t, v]) => [Number(t), Number(v)]),
      };
    });
  }

  private async call(
    path: string,
    resultType: 'vector' | 'matrix',
    params: Record<string, string>,
  ): Promise<unknown[]> {
    const { cluster, baseUrl, timeoutMs } = this.options;
    const what = `GPU metrics of cluster "${cluster}" are unavailable: Prometheus at ${baseUrl}`;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `did not answer within ${timeoutMs} ms`
          : `cannot be reached (${describe(error)})`;
      throw new ServiceUnavailableError(`${what} ${reason}`, error);
    }
    let body: ApiResponse;
    try {
      body = (await response.json()) as ApiResponse;
    } catch (error) {
      throw new ServiceUnavailableError(
        `${what} answered ${response.status} without a Prometheus API response`,
        error,
      );
    }
    if (body?.status === 'error') {
      throw new ServiceUnavailableError(
        `${what} refused the query (${response.status} ${
          body.errorType ?? ''
        }: ${body.error ?? 'no message'})`,
      );
    }
    if (
      body?.status !== 'success' ||
      body.data?.resultType !== resultType ||
      !Array.isArray(body.data.result)
    ) {
      throw new ServiceUnavailableError(
        `${what} answered ${response.status} with an unexpected body (expected a ${resultType})`,
      );
    }
    return body.data.result;
  }
}

function toUnix(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  return cause?.code ?? cause?.message ?? String(error);
}
