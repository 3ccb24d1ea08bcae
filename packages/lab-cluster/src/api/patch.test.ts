import {
  fieldPaths,
  pathString,
  serverSideApply,
  toFieldsV1,
  fromFieldsV1,
} from './managedFields';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';

describe('patch formats', () => {
  it('merge patch removes nulls and replaces lists', () => {
    expect(
      mergePatch(
        { a: 1, b: { c: 2, d: 3 }, l: [1, 2] },
        { b: { c: null }, l: [3] },
      ),
    ).toEqual({ a: 1, b: { d: 3 }, l: [3] });
  });

  it('json patch supports add/remove/replace/move/copy/test', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    const out = jsonPatch(doc, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'remove', path: '/a/b/0' },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 'y', 'e/f': 'y' });
    expect(doc.a.b).toEqual([1, 2]);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(
      /remove operation does not apply/,
    );
  });

  it('strategic merge patch merges keyed lists and honours directives', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: '1', env: [{ name: 'X', value: '1' }] },
          { name: 'b', image: '1' },
        ],
      },
      metadata: { finalizers: ['f1'] },
    };
    const out = strategicMergePatch(pod, {
      $setElementOrder: 'ignored',
      spec: {
        containers: [
          { name: 'a', env: [{ name: 'Y', value: '2' }] },
          { name: 'b', $patch: 'delete' },
        ],
      },
      metadata: { finalizers: ['f2'] },
    });
    expect(out.spec.containers).toEqual([
      {
        name: 'a',
        image: '1',
        env: [
          { name: 'X', value: '1' },
          { name: 'Y', value: '2' },
        ],
      },
    ]);
    expect(out.metadata.finalizers).toEqual(['f1', 'f2']);
    const removed = strategicMergePatch(out, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] },
    });
    expect(removed.metadata.finalizers).toEqual(['f2']);
    const replaced = strategicMergePatch(pod, {
      spec: { $patch: 'replace', containers: [] },
    });
    expect(replaced.spec).toEqual({ containers: [] });
  });
});

describe('managed fields', () => {
  it('round-trips field sets through FieldsV1', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    };
    const paths = fieldPaths(obj, false);
    const v1 = toFieldsV1(paths.values());
    expect(v1).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"c"}': { '.': {}, 'f:name': {}, 'f:image': {} },
        },
      },
    });
    expect([...fromFieldsV1(v1).keys()].sort()).toEqual(
      [...paths.keys()].sort(),
    );
    expect(
      pathString(['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image']),
    ).toBe('.spec.containers[name="c"].image');
  });

  it('reports conflicts for every contested field', () => {
    const base = serverSideApply(
      undefined,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { a: '1', b: '1' },
      },
      'one',
      false,
      'v1',
      true,
    );
    expect(() =>
      serverSideApply(
        base,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x' },
          data: { a: '2', b: '2' },
        },
        'two',
        false,
        'v1',
        true,
      ),
    ).toThrow(
      'Apply failed with 2 conflicts: conflicts with "one"\n- .data.a\n- .data.b',
    );
  });
});
