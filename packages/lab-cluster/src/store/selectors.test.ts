import { ApiError } from '../api/errors';
import { parseFieldSelector, parseLabelSelector } from './selectors';

const obj = (labels: Record<string, string>) => ({
  metadata: { name: 'n', namespace: 'ns', labels },
});

describe('selectors', () => {
  it('implements the label selector operators', () => {
    const m = (sel: string, labels: Record<string, string>) =>
      parseLabelSelector(sel)!(obj(labels));
    expect(m('a=1', { a: '1' })).toBe(true);
    expect(m('a==1', { a: '2' })).toBe(false);
    expect(m('a!=1', {})).toBe(true);
    expect(m('a in (1, 2),b', { a: '2', b: '' })).toBe(true);
    expect(m('a notin (1,2)', { a: '3' })).toBe(true);
    expect(m('a notin (1,2)', { a: '1' })).toBe(false);
    expect(m('!a', { b: '1' })).toBe(true);
    expect(m('!a', { a: '1' })).toBe(false);
    expect(parseLabelSelector('')).toBeUndefined();
    expect(() => parseLabelSelector('a in 1')).toThrow(ApiError);
  });

  it('implements field selectors per resource with != and empty values', () => {
    const ev = {
      metadata: { name: 'e', namespace: '' },
      involvedObject: { kind: 'Node', name: 'n1', namespace: '' },
    };
    expect(
      parseFieldSelector(
        'involvedObject.kind=Node,involvedObject.namespace=',
        'events',
      )!(ev),
    ).toBe(true);
    expect(parseFieldSelector('involvedObject.name!=n1', 'events')!(ev)).toBe(
      false,
    );
    const pod = {
      metadata: { name: 'p', namespace: 'x' },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running' },
    };
    expect(
      parseFieldSelector(
        'spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded',
        'pods',
      )!(pod),
    ).toBe(true);
    expect(() => parseFieldSelector('spec.nodeName=n1', 'configmaps')).toThrow(
      /field label not supported: spec.nodeName/,
    );
  });
});
