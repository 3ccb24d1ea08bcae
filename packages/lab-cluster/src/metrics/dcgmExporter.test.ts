import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLabFleet, LabFleet } from '../fleet';
import { req } from '../testing/http';
import { activityAt, DEFAULT_GPU_ACTIVITY, parseActivity } from './activity';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text exposition format (no escapes in the lab's label values). */
function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of m[2].matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

describe('DCGM exporter emulation', () => {
  let fleet: LabFleet;
  let dir: string;
  const main = () => {
    const c = fleet.clusters.find(x => x.name === 'lab-main')!;
    return { url: c.url, token: c.token };
  };
  const scrape = async (node: string) => {
    const res = await fetch(`${fleet.adminUrl}/metrics/dcgm/lab-main/${node}`);
    return { status: res.status, text: await res.text() };
  };
  const engine = async (node: string) =>
    parseExposition((await scrape(node)).text).filter(
      s => s.name === 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    );
  const annotate = async (ns: string, pod: string, value: string | null) => {
    const res = await req(
      main(),
      'PATCH',
      `/api/v1/namespaces/${ns}/pods/${pod}`,
      {
        metadata: {
          annotations: { 'lab.cloud-smart.io/gpu-activity': value },
        },
      },
      'application/merge-patch+json',
    );
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    fleet = await startLabFleet();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-trace-'));
  });
  afterAll(async () => {
    await fleet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists one scrape target per GPU node with its cluster label', async () => {
    const res = await fetch(`${fleet.adminUrl}/metrics/dcgm/targets`);
    expect(res.status).toBe(200);
    const groups = (await res.json()) as Array<{
      targets: string[];
      labels: Record<string, string>;
    }>;
    const mainGroups = groups.filter(g => g.labels.cluster === 'lab-main');
    const nodes = mainGroups.map(g => g.labels.node).sort();
    expect(nodes).toContain('gpu-h100-1');
    expect(nodes).toContain('gpu-a100-mig-1');
    expect(nodes.some(n => n.startsWith('cpu-'))).toBe(false);
    expect(groups.some(g => g.labels.cluster === 'lab-edge')).toBe(true);
    const h100 = mainGroups.find(g => g.labels.node === 'gpu-h100-1')!;
    expect(h100.targets).toEqual([new URL(fleet.adminUrl).host]);
    expect(h100.labels.__metrics_path__).toBe(
      '/metrics/dcgm/lab-main/gpu-h100-1',
    );
  });

  it('serves the three DCGM fields with HELP/TYPE and the exporter labels', async () => {
    const { status, text } = await scrape('gpu-h100-1');
    expect(status).toBe(200);
    for (const name of [
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
    ]) {
      expect(text).toContain(`# TYPE ${name} gauge`);
      expect(text).toMatch(new RegExp(`# HELP ${name} \\S`));
    }
    const series = await engine('gpu-h100-1');
    expect(series).toHaveLength(8);
    expect(series[0].labels).toMatchObject({
      gpu: '0',
      device: 'nvidia0',
      modelName: 'NVIDIA H100-80GB-HBM3',
      Hostname: 'gpu-h100-1',
    });
    expect(series[0].labels.UUID).toMatch(
      /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(new Set(series.map(s => s.labels.UUID)).size).toBe(8);
  });

  it('reports the default activity for GPUs of running pods without the annotation, 0 for free GPUs', async () => {
    const series = await engine('gpu-h100-1');
    const held = series.filter(s => s.labels.pod === 'train-llama-0');
    expect(held).toHaveLength(4);
    expect(held.every(s => s.labels.namespace === 'ml-training')).toBe(true);
    expect(held.every(s => s.labels.container === 'trainer')).toBe(true);
    expect(held.every(s => s.value === DEFAULT_GPU_ACTIVITY)).toBe(true);
    const free = series.filter(s => s.labels.pod === '');
    expect(free.length).toBeGreaterThan(0);
    expect(free.every(s => s.value === 0)).toBe(true);
    const fb = parseExposition((await scrape('gpu-h100-1')).text).filter(
      s => s.name === 'DCGM_FI_DEV_FB_USED' && s.labels.pod === '',
    );
    expect(fb.every(s => s.value === 0)).toBe(true);
  });

  it('follows the annotation, keeps each pod on its GPUs and keeps UUIDs stable', async () => {
    const before = await engine('gpu-h100-1');
    await annotate('ml-training', 'train-llama-0', '0.85');
    const text = (await scrape('gpu-h100-1')).text;
    const after = parseExposition(text);
    const held = after.filter(
      s =>
        s.name === 'DCGM_FI_PROF_GR_ENGINE_ACTIVE' &&
        s.labels.pod === 'train-llama-0',
    );
    expect(held.map(s => s.value)).toEqual([0.85, 0.85, 0.85, 0.85]);
    expect(held.map(s => s.labels.UUID)).toEqual(
      before
        .filter(s => s.labels.pod === 'train-llama-0')
        .map(s => s.labels.UUID),
    );
    const util = after.filter(
      s =>
        s.name === 'DCGM_FI_DEV_GPU_UTIL' && s.labels.pod === 'train-llama-0',
    );
    expect(util.map(s => s.value)).toEqual([85, 85, 85, 85]);
    await annotate('ml-training', 'train-llama-0', 'busy');
    // A bad annotation reports 0 rather than failing the whole node's scrape.
    expect(
      (await engine('gpu-h100-1'))
        .filter(s => s.labels.pod === 'train-llama-0')
        .map(s => s.value),
    ).toEqual([0, 0, 0, 0]);
    await annotate('ml-training', 'train-llama-0', null);
  });

  it('reports every MIG instance with GPU_I_PROFILE and GPU_I_ID, the parent GPU UUID', async () => {
    const series = await engine('gpu-a100-mig-1');
    // 4 full GPUs + 14 x 1g.10gb on 2 GPUs + 4 x 3g.40gb on 2 GPUs
    expect(series.filter(s => !s.labels.GPU_I_PROFILE)).toHaveLength(4);
    const small = series.filter(s => s.labels.GPU_I_PROFILE === '1g.10gb');
    const large = series.filter(s => s.labels.GPU_I_PROFILE === '3g.40gb');
    expect(small).toHaveLength(14);
    expect(large).toHaveLength(4);
    expect(new Set(small.map(s => s.labels.gpu))).toEqual(new Set(['4', '5']));
    expect(new Set(large.map(s => s.labels.gpu))).toEqual(new Set(['6', '7']));
    expect(new Set(small.map(s => s.labels.UUID)).size).toBe(2);
    expect(small.map(s => s.labels.GPU_I_ID).slice(0, 7)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    const notebook = series.filter(s => s.labels.pod === 'notebook-alice');
    expect(notebook).toHaveLength(1);
    expect(notebook[0].labels.GPU_I_PROFILE).toBe('1g.10gb');
    expect(notebook[0].value).toBe(DEFAULT_GPU_ACTIVITY);
  });

  it('does not serve CPU nodes or unknown clusters', async () => {
    expect((await scrape('cpu-worker-1')).status).toBe(404);
    const res = await fetch(`${fleet.adminUrl}/metrics/dcgm/nope/gpu-h100-1`);
    expect(res.status).toBe(404);
  });

  it('replays a trace: the sample at the time since the pod started, looping', async () => {
    const file = path.join(dir, 'trace.csv');
    await writeFile(
      file,
      [
        'value,timestamp_anon,container_ip',
        '10.0,1000.0,pod-a',
        '90.0,1000.0,pod-b',
        '50.0,1060.0,pod-a',
        '0.0,1120.0,pod-a',
      ].join('\n'),
    );
    const source = parseActivity(`trace:${file}#pod-a`);
    expect(activityAt(source, 0)).toBeCloseTo(0.1);
    expect(activityAt(source, 59)).toBeCloseTo(0.1);
    expect(activityAt(source, 61)).toBeCloseTo(0.5);
    expect(activityAt(source, 125)).toBe(0);
    // span = 120 s + one 60 s step: 185 s is 5 s into the second loop
    expect(activityAt(source, 185)).toBeCloseTo(0.1);
    expect(() => activityAt(parseActivity(`trace:${file}#nope`), 0)).toThrow(
      /no pod "nope"/,
    );
  });

  it('replays a trace through the annotation of a pod', async () => {
    const file = path.join(dir, 'flat.csv');
    await writeFile(
      file,
      ['value,timestamp_anon,container_ip', '42.0,0,p', '42.0,60,p'].join('\n'),
    );
    await annotate('ml-training', 'train-llama-0', `trace:${file}#p`);
    const held = (await engine('gpu-h100-1')).filter(
      s => s.labels.pod === 'train-llama-0',
    );
    expect(held.map(s => s.value)).toEqual([0.42, 0.42, 0.42, 0.42]);
    await annotate('ml-training', 'train-llama-0', null);
  });

  it('refuses annotations that are neither a ratio nor a trace, naming the annotation', () => {
    expect(() => parseActivity('1.5')).toThrow(
      /lab.cloud-smart.io\/gpu-activity/,
    );
    expect(() => parseActivity('trace:file.csv')).toThrow(
      /trace:<csv file>#<pod id>/,
    );
    expect(parseActivity(undefined)).toEqual({
      kind: 'constant',
      value: DEFAULT_GPU_ACTIVITY,
    });
    expect(parseActivity('trace:x.csv.gz#abc')).toMatchObject({
      kind: 'trace',
      series: 'abc',
    });
  });
});
