// Debian's OpenLDAP server (slapd) on loopback, seeded with the example
// organisation as LDIF generated from catalog/org.yaml.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { freePort } from '../support/backend';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';

const run = promisify(execFile);

export const slapdPath = ['/usr/sbin/slapd', '/usr/bin/slapd'].find(p =>
  fs.existsSync(p),
);
const ldapTools = ['ldapmodify', 'slapadd'].map(tool =>
  ['/usr/bin', '/usr/sbin']
    .map(dir => path.join(dir, tool))
    .find(p => fs.existsSync(p)),
);

/** Why the LDAP tests cannot run here, or undefined when they can. */
export function ldapUnavailable(): string | undefined {
  if (!slapdPath) return 'slapd is not installed (Debian package slapd)';
  if (ldapTools.some(t => !t)) {
    return 'ldapmodify/slapadd are not installed (ldap-utils, slapd)';
  }
  return undefined;
}

export const ldapSuffix = 'dc=cloudsmart,dc=go,dc=kr';
export const ldapPeople = `ou=people,${ldapSuffix}`;
export const ldapGroups = `ou=groups,${ldapSuffix}`;
const rootDn = `cn=admin,${ldapSuffix}`;
const rootPassword = 'e2e-ldap-admin';

/** An LDIF attribute line; values that are not plain ASCII are base64. */
function attr(name: string, value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/**
 * The Users and Groups of catalog/org.yaml as LDIF: inetOrgPerson under
 * ou=people, groupOfNames under ou=groups whose `member`s are the users and
 * child groups, the group's type in `businessCategory`.
 */
export function orgLdif(): string {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'catalog', 'org.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  const users = docs.filter(d => d?.kind === 'User');
  const groups = docs.filter(d => d?.kind === 'Group');
  const entries: string[][] = [
    [
      `dn: ${ldapSuffix}`,
      'objectClass: dcObject',
      'objectClass: organization',
      'dc: cloudsmart',
      'o: Cloud Smart',
    ],
    [`dn: ${ldapPeople}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ${ldapGroups}`, 'objectClass: organizationalUnit', 'ou: groups'],
  ];
  for (const user of users) {
    const name: string = user.metadata.name;
    const profile = user.spec.profile ?? {};
    entries.push([
      `dn: uid=${name},${ldapPeople}`,
      'objectClass: inetOrgPerson',
      `uid: ${name}`,
      attr('cn', profile.displayName ?? name),
      `sn: ${name.split('.').pop()}`,
      ...(profile.email ? [`mail: ${profile.email}`] : []),
    ]);
  }
  for (const group of groups) {
    const name: string = group.metadata.name;
    const members = [
      ...users
        .filter(u => (u.spec.memberOf ?? []).includes(name))
        .map(u => `uid=${u.metadata.name},${ldapPeople}`),
      ...(group.spec.children ?? []).map(
        (c: string) => `cn=${c},${ldapGroups}`,
      ),
    ];
    entries.push([
      `dn: cn=${name},${ldapGroups}`,
      'objectClass: groupOfNames',
      `cn: ${name}`,
      `businessCategory: ${group.spec.type}`,
      ...(group.spec.profile?.displayName
        ? [attr('description', group.spec.profile.displayName)]
        : []),
      // groupOfNames needs a member; an empty team lists the root.
      ...(members.length ? members : [rootDn]).map(m => `member: ${m}`),
    ]);
  }
  return `${entries.map(e => e.join('\n')).join('\n\n')}\n`;
}

/** slapd on loopback with the organisation loaded. */
export interface RunningLdap {
  url: string;
  bindDn: string;
  bindPassword: string;
  /** Deletes a user and takes them out of every group, as HR would. */
  removeUser(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts slapd on a free loopback port, seeded with {@link orgLdif}. */
export async function startLdap(): Promise<RunningLdap> {
  const reason = ldapUnavailable();
  if (reason) throw new Error(reason);
  const [ldapmodify, slapadd] = ldapTools as string[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-ldap-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      'database mdb',
      'maxsize 104857600',
      `suffix "${ldapSuffix}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${rootPassword}`,
      `directory ${path.join(dir, 'db')}`,
      'index objectClass eq',
      '',
    ].join('\n'),
  );
  const seed = path.join(dir, 'org.ldif');
  fs.writeFileSync(seed, orgLdif());
  await run(slapadd!, ['-f', conf, '-l', seed]);

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d keeps slapd in the foreground, so it is our child and dies with us.
  const child: ChildProcess = spawn(
    slapdPath!,
    ['-f', conf, '-h', `${url}/`, '-d', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', c => (output += c));
  child.stderr!.on('data', c => (output += c));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const modify = (ldif: string) =>
    new Promise<void>((resolve, reject) => {
      const p = execFile(
        ldapmodify!,
        ['-x', '-H', url, '-D', rootDn, '-w', rootPassword],
        (error, _stdout, stderr) =>
          error ? reject(new Error(`ldapmodify: ${stderr}`)) : resolve(),
      );
      // ldapmodify exits without reading its input while slapd is not yet
      // listening: the broken pipe is that same failure, reported by exit.
      p.stdin!.on('error', () => {});
      p.stdin!.end(ldif);
    });
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`slapd exited: ${output}`);
        await modify(
          `dn: ${ldapSuffix}\nchangetype: modify\nreplace: o\no: Cloud Smart\n`,
        );
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'slapd answering' },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    bindDn: rootDn,
    bindPassword: rootPassword,
    stop,
    async removeUser(name) {
      const userDn = `uid=${name},${ldapPeople}`;
      const groups = orgLdif()
        .split('\n\n')
        .filter(e => e.includes(`member: ${userDn}`))
        .map(e => /^dn: (.*)$/m.exec(e)![1]);
      for (const group of groups) {
        await modify(
          `dn: ${group}\nchangetype: modify\ndelete: member\nmember: ${userDn}\n`,
        );
      }
      await modify(`dn: ${userDn}\nchangetype: delete\n`);
    },
  };
}
