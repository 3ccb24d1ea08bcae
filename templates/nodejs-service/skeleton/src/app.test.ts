import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, Health } from './app';

const health: Health = { ready: true };
const server = http.createServer(
  createApp({ logger: pino({ level: 'silent' }), health }),
);
let base = '';

before(async () => {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('greets by name', async () => {
  const res = await fetch(`${base}/api/v1/greetings?name=Jiwoo`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    message: 'Hello, Jiwoo!',
    service: '${{ values.name }}',
  });
});

test('rejects over-long names', async () => {
  const res = await fetch(`${base}/api/v1/greetings?name=${'x'.repeat(101)}`);
  assert.equal(res.status, 400);
});

test('liveness is up and readiness follows the health state', async () => {
  assert.equal((await fetch(`${base}/healthz/live`)).status, 200);
  assert.equal((await fetch(`${base}/healthz/ready`)).status, 200);
  health.ready = false;
  assert.equal((await fetch(`${base}/healthz/ready`)).status, 503);
  health.ready = true;
});

test('exposes Prometheus metrics with the request counter', async () => {
  await fetch(`${base}/api/v1/greetings`);
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /http_requests_total\{method="GET",route="\/api\/v1\/greetings",status="200"\} \d+/);
  assert.match(text, /process_cpu_seconds_total/);
});

test('unknown routes give 404', async () => {
  assert.equal((await fetch(`${base}/nope`)).status, 404);
});
