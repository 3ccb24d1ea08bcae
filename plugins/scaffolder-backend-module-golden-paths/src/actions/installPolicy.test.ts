import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { parse } from 'yaml';
import {
  createInstallPolicyAction,
  defaultPolicyBundlePath,
} from './installPolicy';
import { examples } from './installPolicy.examples';

function outputs(ctx: any) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('portal:policy:install', () => {
  it('writes the one bundle of @internal/manifest-policy, executable, and reports its hash', async () => {
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'policy-install-'),
    );
    const ctx = createMockActionContext({
      input: {},
      workspacePath,
      user: { ref: 'user:default/jiwoo.kim' },
    });
    const auditor = mockServices.auditor.mock();
    await createInstallPolicyAction({ auditor }).handler(ctx as any);

    const bundle = fs.readFileSync(defaultPolicyBundlePath());
    expect(defaultPolicyBundlePath()).toMatch(
      /packages\/manifest-policy\/bundle\/manifest-policy\.cjs$/,
    );
    const written = path.join(workspacePath, 'tools', 'manifest-policy.cjs');
    expect(fs.readFileSync(written).equals(bundle)).toBe(true);
    expect(fs.statSync(written).mode & 0o111).not.toBe(0);
    expect(outputs(ctx)).toEqual({
      path: 'tools/manifest-policy.cjs',
      sha256: crypto.createHash('sha256').update(bundle).digest('hex'),
    });
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'policy-install',
      severityLevel: 'low',
      meta: {
        actor: 'user:default/jiwoo.kim',
        target: { path: 'tools/manifest-policy.cjs', template: 'unknown' },
      },
    });
    const event = await auditor.createEvent.mock.results[0].value;
    expect(event.success).toHaveBeenCalledWith({
      meta: {
        outcome: 'success',
        sha256: crypto.createHash('sha256').update(bundle).digest('hex'),
      },
    });
    // It is the policy: it runs on its own and lists the rules.
    expect(
      execFileSync(process.execPath, [written, '--rules'], {
        encoding: 'utf8',
      }),
    ).toContain('non-root');
  });

  it('writes elsewhere when asked, never outside the workspace', async () => {
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'policy-install-'),
    );
    const action = createInstallPolicyAction({
      auditor: mockServices.auditor.mock(),
    });
    await action.handler(
      createMockActionContext({
        input: { targetPath: 'ci/policy.cjs' },
        workspacePath,
      }) as any,
    );
    expect(fs.existsSync(path.join(workspacePath, 'ci', 'policy.cjs'))).toBe(
      true,
    );
    await expect(
      action.handler(
        createMockActionContext({
          input: { targetPath: '../escape.cjs' },
          workspacePath,
        }) as any,
      ),
    ).rejects.toThrow(InputError);
    expect(fs.existsSync(path.join(workspacePath, '..', 'escape.cjs'))).toBe(
      false,
    );
  });

  it('says how to build the bundle when it is missing', async () => {
    const action = createInstallPolicyAction({
      bundlePath: '/nonexistent/manifest-policy.cjs',
      auditor: mockServices.auditor.mock(),
    });
    await expect(
      action.handler(createMockActionContext({ input: {} }) as any),
    ).rejects.toThrow(NotFoundError);
  });

  it('has examples that name the action', () => {
    for (const { example } of examples) {
      expect(parse(example).steps[0].action).toBe('portal:policy:install');
    }
  });
});
