/**
 * The delivery pipeline (deploy/pipeline/README.md), without Jenkins, a registry or a cluster:
 *
 * - deploy/pipeline/promote.ts on copies of the real tenant files: exactly the image lines change
 *   (comments, quoting and every other line kept), validated against the schema; unknown services,
 *   tenants and bad tags fail with nothing written; a dry run writes nothing;
 * - deploy/pipeline/image-tag.ts: the tag scheme, and a promotion commit builds the same tags as the
 *   commit before it (the pipeline cannot loop on its own commits);
 * - deploy/pipeline/commit-promotion.sh against a local bare repository: commits and pushes only tenant
 *   files as the bot, retries when the branch moved, refuses anything else;
 * - the Jenkinsfile, statically (deploy/test/support/jenkinsfile.ts): stages in order, every shell
 *   script valid, no cluster commands, Trivy gating, main-only push and promotion.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { SERVICES } from '../pipeline/promote.js';
import {
  blockLabel,
  child,
  childrenNamed,
  hasCall,
  parseBlocks,
  shellScripts,
  stagesOf,
  stringsIn,
  tokenize,
  type Block,
} from './support/jenkinsfile.js';
import { REPO_ROOT, run, type RunResult } from './support/tools.js';

const TENANTS = ['northwind', 'oceanic', 'pool-shared'];
/** tsx's loader by URL, for commands run from directories without node_modules. */
const TSX_LOADER = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx')).href;
const scratch = mkdtempSync(join(tmpdir(), 'pipeline-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function scratchDir(name: string): string {
  const dir = join(scratch, `${name}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The TypeScript tools run as the pipeline runs them, from the repository root. */
function tsx(script: string, args: readonly string[], cwd = REPO_ROOT): RunResult {
  return run('node', ['--conditions=source', '--import', 'tsx', join(REPO_ROOT, script), ...args], { cwd });
}
function promote(root: string, ...args: string[]): RunResult {
  return tsx('deploy/pipeline/promote.ts', ['--root', root, ...args]);
}

/** A repository-shaped copy of what promote.ts reads: tenant files, schema, canary list. */
function copyRoot(dir: string): void {
  for (const path of ['argocd/tenants', 'argocd/tenant-file.schema.json', 'deploy/pipeline/promotion.yaml']) {
    cpSync(join(REPO_ROOT, path), join(dir, path), { recursive: true });
  }
}

function tenantFiles(root: string): Record<string, string> {
  const dir = join(root, 'argocd/tenants');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** The lines that differ, as [before, after] pairs (the files must have as many lines). */
function lineDiff(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i): [string, string][] => (line === b[i] ? [] : [[line, b[i] ?? '']]));
}

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'argocd/tenant-file.schema.json'), 'utf8')) as {
  properties: { images: { required: string[]; properties: Record<string, unknown> } };
};
const validateTenantFile = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  schema,
);

describe('deploy/pipeline/promote.ts', () => {
  let root: string;
  let original: Record<string, string>;
  beforeEach(() => {
    root = scratchDir('root');
    copyRoot(root);
    original = tenantFiles(root);
  });

  it('knows the services of the tenant schema, and the real tenant files', () => {
    expect([...SERVICES].sort()).toEqual([...schema.properties.images.required].sort());
    expect(Object.keys(schema.properties.images.properties).sort()).toEqual([...SERVICES].sort());
    expect(Object.keys(original).sort()).toEqual(TENANTS.map((t) => `${t}.yaml`));
  });

  it('one service, one tenant: exactly that line changes, comments and every other file stay', () => {
    const result = promote(
      root,
      '--service',
      'fleet',
      '--tag',
      '1.6.0-g0123456789ab',
      '--tenants',
      'oceanic',
    );
    expect(result.code, result.stderr).toBe(0);
    const after = tenantFiles(root);
    expect(lineDiff(original['oceanic.yaml'] ?? '', after['oceanic.yaml'] ?? '')).toEqual([
      ['  fleet: 1.4.2', '  fleet: 1.6.0-g0123456789ab'],
    ]);
    expect(after['oceanic.yaml']).toContain('# Silo tenant: Oceanic Bulk Carriers');
    expect(after['northwind.yaml']).toBe(original['northwind.yaml']);
    expect(after['pool-shared.yaml']).toBe(original['pool-shared.yaml']);
    expect(result.stdout).toContain('argocd/tenants/oceanic.yaml: images.fleet 1.4.2 -> 1.6.0-g0123456789ab');
    expect(result.stdout).toContain('1 file(s) changed');
  });

  it("keeps a tag's quoting and trailing comment", () => {
    const file = join(root, 'argocd/tenants/northwind.yaml');
    const edited = (original['northwind.yaml'] ?? '').replace(
      '  crew: 1.3.0',
      "  crew: '1.3.0' # held back: crew 1.4 migration",
    );
    writeFileSync(file, edited);
    const result = promote(root, '--service', 'crew', '--tag', '1.4.0', '--tenants', 'northwind');
    expect(result.code, result.stderr).toBe(0);
    expect(lineDiff(edited, readFileSync(file, 'utf8'))).toEqual([
      ["  crew: '1.3.0' # held back: crew 1.4 migration", "  crew: '1.4.0' # held back: crew 1.4 migration"],
    ]);
  });

  it('all services to all tenants: only image lines change and every file still validates', () => {
    const tag = 'v2.0.0-rc.1';
    const result = promote(root, '--all-services', '--tag', tag, '--all-tenants');
    expect(result.code, result.stderr).toBe(0);
    const after = tenantFiles(root);
    for (const name of Object.keys(original)) {
      const before = original[name] ?? '';
      const changed = lineDiff(before, after[name] ?? '');
      expect(changed.length).toBe(SERVICES.length);
      for (const [from, to] of changed) {
        expect(from).toMatch(new RegExp(`^  (${SERVICES.join('|')}): \\S+$`));
        expect(to).toBe(from.replace(/: \S+$/, `: ${tag}`));
      }
      const content = parse(after[name] ?? '') as { images: Record<string, string> };
      expect(validateTenantFile(content), JSON.stringify(validateTenantFile.errors)).toBe(true);
      expect(Object.values(content.images)).toEqual(SERVICES.map(() => tag));
    }
    expect(result.stdout).toContain('3 file(s) changed');
  });

  it('a tag per service (--image), to the canary tenants of deploy/pipeline/promotion.yaml by default', () => {
    const canary = (
      parse(readFileSync(join(root, 'deploy/pipeline/promotion.yaml'), 'utf8')) as { canary: string[] }
    ).canary;
    expect(canary).toEqual(['northwind']);
    const result = promote(
      root,
      '--image',
      'fleet=1.5.0-gaaaaaaaaaaaa',
      '--image',
      'crew=1.3.1-gaaaaaaaaaaaa',
    );
    expect(result.code, result.stderr).toBe(0);
    const after = tenantFiles(root);
    expect(lineDiff(original['northwind.yaml'] ?? '', after['northwind.yaml'] ?? '')).toEqual([
      ['  fleet: 1.4.2', '  fleet: 1.5.0-gaaaaaaaaaaaa'],
      ['  crew: 1.3.0', '  crew: 1.3.1-gaaaaaaaaaaaa'],
    ]);
    expect(after['oceanic.yaml']).toBe(original['oceanic.yaml']);
    expect(after['pool-shared.yaml']).toBe(original['pool-shared.yaml']);
  });

  it('is idempotent: the same promotion again changes nothing', () => {
    expect(promote(root, '--all-services', '--tag', '1.9.0', '--all-tenants').code).toBe(0);
    const once = tenantFiles(root);
    const again = promote(root, '--all-services', '--tag', '1.9.0', '--all-tenants');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 file(s) changed: nothing to promote');
    expect(tenantFiles(root)).toEqual(once);
  });

  it('a dry run prints what would change and writes nothing', () => {
    const result = promote(root, '--all-services', '--tag', '3.0.0', '--all-tenants', '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('argocd/tenants/pool-shared.yaml: images.fleet 1.4.2 -> 3.0.0');
    expect(result.stdout).toContain('dry run: 3 file(s) would change; nothing written');
    expect(tenantFiles(root)).toEqual(original);
    expect(readdirSync(join(root, 'argocd/tenants')).sort()).toEqual(TENANTS.map((t) => `${t}.yaml`));
  });

  it.each([
    [
      'an unknown service',
      ['--service', 'billing', '--tag', '1.0.0', '--all-tenants'],
      "unknown service 'billing'",
    ],
    [
      'one unknown among known services',
      ['--image', 'fleet=1.0.0', '--image', 'billing=1.0.0', '--all-tenants'],
      "unknown service 'billing'",
    ],
    [
      'the tag latest',
      ['--service', 'fleet', '--tag', 'latest', '--all-tenants'],
      "tag 'latest' (fleet) is refused",
    ],
    ['a two-part version', ['--all-services', '--tag', '1.2', '--all-tenants'], "tag '1.2'"],
    [
      'build metadata (+ is no Docker tag character)',
      ['--service', 'crew', '--tag', '1.2.3+abc', '--tenants', 'northwind'],
      'is refused',
    ],
    ['a leading zero', ['--service', 'crew', '--tag', '01.2.3', '--tenants', 'northwind'], 'is refused'],
    [
      'an unknown tenant',
      ['--service', 'fleet', '--tag', '1.0.0', '--tenants', 'northwind,atlantis'],
      "unknown tenant 'atlantis'",
    ],
    [
      'a pool member named as a tenant',
      ['--service', 'fleet', '--tag', '1.0.0', '--tenants', 'baltic-feeder'],
      'member of the pool pool-shared',
    ],
  ])('refuses %s and writes nothing', (_what, args, message) => {
    const result = promote(root, ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('promote: nothing written');
    expect(result.stderr).toContain(message);
    expect(tenantFiles(root)).toEqual(original);
  });

  it('validates every file before writing any: one broken tenant file stops the whole promotion', () => {
    const broken = join(root, 'argocd/tenants/pool-shared.yaml');
    writeFileSync(broken, (original['pool-shared.yaml'] ?? '').replace('tier: pool', 'tier: shared'));
    const before = tenantFiles(root);
    const result = promote(root, '--all-services', '--tag', '1.0.0', '--all-tenants');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('argocd/tenants/pool-shared.yaml: invalid after the change');
    expect(tenantFiles(root)).toEqual(before); // northwind and oceanic untouched too
  });

  it.each([
    ['no service', ['--tag', '1.0.0']],
    ['--service with --all-services', ['--service', 'fleet', '--all-services', '--tag', '1.0.0']],
    ['--image with --tag', ['--image', 'fleet=1.0.0', '--tag', '1.0.0']],
    [
      '--tenants with --all-tenants',
      ['--all-services', '--tag', '1.0.0', '--tenants', 'oceanic', '--all-tenants'],
    ],
    ['an unknown option', ['--all-services', '--tag', '1.0.0', '--force']],
  ])('usage error (%s): exit 2, nothing written', (_what, args) => {
    const result = promote(root, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: promote.ts');
    expect(tenantFiles(root)).toEqual(original);
  });
});

function git(cwd: string, ...args: string[]): string {
  const result = run('git', args, {
    cwd,
    env: {
      GIT_AUTHOR_NAME: 'Developer',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Developer',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

describe('deploy/pipeline/image-tag.ts', () => {
  it('tags this repository: <package.json version>-g<12 hex digits of the source revision>', () => {
    const revision = tsx('deploy/pipeline/image-tag.ts', ['--revision']);
    if (git(REPO_ROOT, 'rev-parse', '--is-shallow-repository') === 'true') {
      // A shallow clone of this repository (as some CI checkouts are): refused, as on Jenkins.
      expect(revision.code).toBe(1);
      return;
    }
    expect(revision.code, revision.stderr).toBe(0);
    expect(revision.stdout.trim()).toBe(
      git(REPO_ROOT, 'log', '-1', '--format=%H', '--', '.', ':(exclude)argocd/tenants'),
    );
    const all = tsx('deploy/pipeline/image-tag.ts', ['--all']);
    expect(all.code, all.stderr).toBe(0);
    const expected = SERVICES.map((service) => {
      const { version } = JSON.parse(
        readFileSync(join(REPO_ROOT, 'services', service, 'package.json'), 'utf8'),
      ) as {
        version: string;
      };
      return `${service}=${version}-g${revision.stdout.trim().slice(0, 12)}`;
    });
    expect(all.stdout.trim().split('\n')).toEqual(expected);
    const one = tsx('deploy/pipeline/image-tag.ts', ['performance']);
    expect(one.stdout.trim()).toBe(expected[1]?.split('=')[1]);
    expect(tsx('deploy/pipeline/image-tag.ts', ['billing']).code).toBe(1);
  });

  it('a commit that only promotes (argocd/tenants/) keeps the tags of the commit before it', () => {
    const repo = scratchDir('tag-repo');
    copyRoot(repo);
    for (const service of SERVICES) {
      mkdirSync(join(repo, 'services', service), { recursive: true });
      writeFileSync(join(repo, 'services', service, 'package.json'), JSON.stringify({ version: '1.2.3' }));
    }
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'code');
    const code = git(repo, 'rev-parse', 'HEAD');
    const tagsAt = () => tsx('deploy/pipeline/image-tag.ts', ['--all', '--root', repo]).stdout.trim();
    expect(tagsAt()).toContain(`fleet=1.2.3-g${code.slice(0, 12)}`);

    expect(promote(repo, '--all-services', '--tag', '1.2.3-g0123456789ab', '--all-tenants').code).toBe(0);
    git(repo, 'commit', '-q', '-am', 'promote');
    expect(tagsAt()).toContain(`fleet=1.2.3-g${code.slice(0, 12)}`);

    writeFileSync(join(repo, 'services/fleet/package.json'), JSON.stringify({ version: '1.3.0' }));
    git(repo, 'commit', '-q', '-am', 'fleet 1.3.0');
    const next = git(repo, 'rev-parse', 'HEAD');
    expect(tagsAt().split('\n')).toEqual([
      `fleet=1.3.0-g${next.slice(0, 12)}`,
      `performance=1.2.3-g${next.slice(0, 12)}`,
      `crew=1.2.3-g${next.slice(0, 12)}`,
      `maintenance=1.2.3-g${next.slice(0, 12)}`,
    ]);

    // A version that makes a tag the tenant schema refuses fails here, at build time, not at promotion.
    writeFileSync(join(repo, 'services/crew/package.json'), JSON.stringify({ version: '2.0' }));
    git(repo, 'commit', '-q', '-am', 'bad version');
    const bad = tsx('deploy/pipeline/image-tag.ts', ['--all', '--root', repo]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('crew: tag 2.0-g');

    const shallow = join(scratchDir('shallow'), 'clone');
    git(scratch, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    const result = tsx('deploy/pipeline/image-tag.ts', ['--revision', '--root', shallow]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('shallow clone');
  });
});

describe('deploy/pipeline/commit-promotion.sh', () => {
  const script = join(REPO_ROOT, 'deploy/pipeline/commit-promotion.sh');

  /** A bare "origin" with the tenant files on main, and a clone of it as the Jenkins workspace. */
  function setup(): { origin: string; workspace: string } {
    const dir = scratchDir('git');
    const origin = join(dir, 'origin.git');
    const workspace = join(dir, 'workspace');
    git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
    git(dir, 'clone', '-q', origin, workspace);
    copyRoot(workspace);
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'tenants');
    git(workspace, 'push', '-q', 'origin', 'main');
    return { origin, workspace };
  }

  function commitPromotion(
    workspace: string,
    args: readonly string[],
    command: readonly string[],
  ): RunResult {
    return run(script, [...args, '--', ...command], {
      cwd: workspace,
      env: { GIT_CONFIG_GLOBAL: '/dev/null', PROMOTE_ATTEMPTS: '3' },
    });
  }
  const promoteCommand = (...args: string[]) => [
    'node',
    '--conditions=source',
    '--import',
    TSX_LOADER,
    join(REPO_ROOT, 'deploy/pipeline/promote.ts'),
    '--root',
    '.promote',
    ...args,
  ];

  it('commits only the tenant file as the bot and pushes it; then there is nothing left to promote', () => {
    const { origin, workspace } = setup();
    const check = commitPromotion(
      workspace,
      ['--check', '--worktree', '.promote'],
      promoteCommand('--image', 'fleet=1.5.0-gabc'),
    );
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('+  fleet: 1.5.0-gabc');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');

    const result = commitPromotion(
      workspace,
      ['--worktree', '.promote', '--message', 'Promote fleet=1.5.0-gabc to the canary tenants'],
      promoteCommand('--image', 'fleet=1.5.0-gabc'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(git(origin, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Fleetwatch pipeline <fleetwatch-pipeline@users.noreply.github.com>|Promote fleet=1.5.0-gabc to the canary tenants',
    );
    expect(git(origin, 'diff', '--name-only', 'main~1', 'main')).toBe('argocd/tenants/northwind.yaml');
    expect(existsSync(join(workspace, '.promote'))).toBe(false);

    const again = commitPromotion(
      workspace,
      ['--check', '--worktree', '.promote'],
      promoteCommand('--image', 'fleet=1.5.0-gabc'),
    );
    expect(again.code).toBe(3);
    const noop = commitPromotion(
      workspace,
      ['--worktree', '.promote', '--message', 'x'],
      promoteCommand('--image', 'fleet=1.5.0-gabc'),
    );
    expect(noop.code, noop.stderr).toBe(0);
    expect(noop.stdout).toContain('nothing to promote');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('2');
  });

  it('starts again on the new head when someone pushed in between', () => {
    const { origin, workspace } = setup();
    // The first run of the command pushes another change to main from elsewhere, as a developer would.
    const other = join(scratchDir('other'), 'clone');
    git(scratch, 'clone', '-q', origin, other);
    const racer = join(scratchDir('racer'), 'race.sh');
    writeFileSync(
      racer,
      [
        '#!/usr/bin/env bash',
        'set -euo pipefail',
        `if [[ ! -e ${racer}.done ]]; then`,
        `  touch ${racer}.done`,
        `  cd ${other} && echo change >> README.md && git add README.md`,
        `  GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.com GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.com git commit -q -m concurrent`,
        '  git push -q origin HEAD:main',
        '  cd - >/dev/null',
        'fi',
        'exec "$@"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const result = commitPromotion(
      workspace,
      ['--worktree', '.promote', '--message', 'Promote crew'],
      [racer, ...promoteCommand('--image', 'crew=1.4.0', '--all-tenants')],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('push refused (attempt 1 of 3');
    expect(git(origin, 'log', '--format=%s', 'main').split('\n')).toEqual([
      'Promote crew',
      'concurrent',
      'tenants',
    ]);
    expect(git(origin, 'diff', '--name-only', 'main~1', 'main').split('\n').sort()).toEqual(
      TENANTS.map((t) => `argocd/tenants/${t}.yaml`),
    );
  });

  it('refuses a change outside the tenant files, and a failed command, with nothing pushed', () => {
    const { origin, workspace } = setup();
    const outside = commitPromotion(
      workspace,
      ['--worktree', '.promote', '--message', 'x'],
      ['sh', '-c', 'echo "# x" >> "$PROMOTE_WORKTREE/deploy/pipeline/promotion.yaml"'],
    );
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('refused: changes other than to existing tenant files');
    const failed = commitPromotion(
      workspace,
      ['--worktree', '.promote', '--message', 'x'],
      promoteCommand('--image', 'fleet=latest'),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('the promotion command failed');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
    expect(existsSync(join(workspace, '.promote'))).toBe(false);
  });
});

describe('Jenkinsfile', () => {
  const source = readFileSync(join(REPO_ROOT, 'Jenkinsfile'), 'utf8');
  const root = parseBlocks(source);
  const pipeline = child(root, 'pipeline');
  const stages = stagesOf(child(pipeline, 'stages'));
  const stage = (name: string): Block => {
    const found = stages.get(name);
    if (found === undefined) throw new Error(`no stage ${name}`);
    return found;
  };
  const scripts = shellScripts(tokenize(source));

  it('has the stages in order: Install, Lint, Test, Build, Scan, Push, Promote', () => {
    expect([...stages.keys()]).toEqual(['Install', 'Lint', 'Test', 'Build', 'Scan', 'Push', 'Promote']);
    expect([...stagesOf(child(stage('Promote'), 'stages')).keys()]).toEqual([
      'Canary tenants',
      'All tenants',
    ]);
  });

  it('runs the README commands, and publishes JUnit results', () => {
    expect(scripts.map((s) => s.script.trim())).toEqual(expect.arrayContaining(['make lint']));
    expect(stringsIn(stage('Install')).join('\n')).toContain('make install');
    expect(stringsIn(stage('Test')).join('\n')).toContain('make test TEST_JUNIT="$REPORTS/junit.xml"');
    const post = child(child(stage('Test'), 'post'), 'always');
    expect(hasCall(post, 'junit')).toBe(true);
    expect(stringsIn(post)).toContain('.cache/reports/junit.xml');
    // make test without TEST_JUNIT runs as before: the JUnit reporter only comes with the variable.
    const makefile = readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8');
    expect(makefile).toMatch(/^TEST_JUNIT \?=$/m);
    expect(makefile).toContain('$(if $(TEST_JUNIT),--reporter=junit --outputFile.junit=$(TEST_JUNIT))');
  });

  it('has the agent and options: labelled agent, timestamps, 90 minutes, no concurrent builds, discarder', () => {
    expect(hasCall(child(pipeline, 'agent'), 'label', 'fleetwatch-docker')).toBe(true);
    const options = source.slice(source.indexOf('options {'), source.indexOf('parameters {'));
    expect(options).toContain('timestamps()');
    expect(options).toContain("timeout(time: 90, unit: 'MINUTES')");
    expect(options).toContain("disableConcurrentBuilds(abortPrevious: env.BRANCH_NAME != 'main')");
    expect(options).toContain('buildDiscarder(logRotator(');
  });

  it('writes every shell script in single quotes (no Groovy interpolation) and valid for sh', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(10);
    for (const { quote, script } of scripts) {
      expect(quote, script).toMatch(/^'/);
      const syntax = run('sh', ['-n'], { input: script });
      expect(syntax.code, `${syntax.stderr}\n${script}`).toBe(0);
    }
  });

  it('never talks to a cluster: no kubectl, helm install/upgrade, argocd CLI or EKS credentials', () => {
    const forbidden = /\bkubectl\b|\bhelm\s+(install|upgrade)\b|\bargocd\s|\baws\s+eks\b|KUBECONFIG/;
    expect(source).not.toMatch(forbidden);
    for (const file of readdirSync(join(REPO_ROOT, 'deploy/pipeline'))) {
      if (/\.(sh|ts)$/.test(file)) {
        expect(readFileSync(join(REPO_ROOT, 'deploy/pipeline', file), 'utf8'), file).not.toMatch(forbidden);
      }
    }
  });

  it('builds the four images in parallel with the Dockerfile and its OCI build arguments', () => {
    const matrix = child(stage('Build'), 'matrix');
    const axis = child(child(matrix, 'axes'), 'axis');
    expect(hasCall(axis, 'name', 'SERVICE')).toBe(true);
    expect(stringsIn(axis).slice(1)).toEqual([...SERVICES]);
    const build = stringsIn(matrix).join('\n');
    expect(build).toContain('docker build --file deploy/docker/Dockerfile');
    for (const arg of ['SERVICE', 'VERSION', 'REVISION', 'CREATED', 'SOURCE']) {
      expect(build).toMatch(new RegExp(`--build-arg ${arg}="\\$`));
    }
    expect(build).toContain('deploy/pipeline/image-tag.ts "$SERVICE"');
    expect(build).toContain('--tag "fleetwatch/$SERVICE:$tag"');
  });

  it('gates on Trivy: HIGH and CRITICAL fail the build, except what the generated allow-list ignores', () => {
    const scan = stringsIn(stage('Scan'));
    const generate = scan.findIndex((s) => s.includes('deploy/security/trivyignore.ts'));
    const gate = scan.findIndex((s) => s.includes('trivy image'));
    expect(generate).toBeGreaterThanOrEqual(0);
    expect(gate).toBeGreaterThan(generate);
    const command = /trivy image ([^\n]*)/.exec(scan[gate] ?? '')?.[1] ?? '';
    expect(command).toContain('--exit-code 1');
    expect(command).toContain('--severity HIGH,CRITICAL');
    expect(command).toContain('--ignorefile .trivyignore.yaml');
    // Every image is scanned, and a failure of any fails the step.
    expect(scan[gate]).toContain('for service in fleet performance crew maintenance');
    expect(scan[gate]).toMatch(/if \[ -n "\$failed" \]; then[\s\S]*exit 1/);
  });

  it('pushes to ECR and promotes only on main, with the agent role and the git bot credential', () => {
    for (const name of ['Push', 'Promote']) {
      const when = childrenNamed(stage(name), 'when');
      expect(when.length, name).toBe(1);
      expect(hasCall(when[0] as Block, 'branch', 'main'), name).toBe(true);
    }
    for (const name of ['Install', 'Lint', 'Test', 'Build', 'Scan']) {
      expect(childrenNamed(stage(name), 'when'), name).toEqual([]);
    }
    const push = stringsIn(stage('Push')).join('\n');
    expect(push).toContain(
      'aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin',
    );
    expect(push).toContain('docker push "$registry/$repository:$tag"');
    expect(source).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|amazonWebServicesCredentials/);
  });

  it('promotes through deploy/pipeline/promote.ts: the canary tenants, then all tenants after an input step', () => {
    const promoteStages = stagesOf(child(stage('Promote'), 'stages'));
    const canary = promoteStages.get('Canary tenants') as Block;
    const all = promoteStages.get('All tenants') as Block;
    for (const block of [canary, all]) {
      const text = stringsIn(block).join('\n');
      expect(text).toContain('deploy/pipeline/commit-promotion.sh');
      expect(text).toContain(
        'node --conditions=source --import tsx deploy/pipeline/promote.ts --root .promote',
      );
      expect(hasCall(block, 'gitUsernamePassword')).toBe(true);
      expect(stringsIn(block)).toContain('fleetwatch-git-bot');
    }
    expect(stringsIn(canary).join('\n')).not.toContain('--all-tenants');
    expect(hasCall(canary, 'input')).toBe(false);
    const allText = source.slice(
      source.indexOf("stage('All tenants')"),
      source.indexOf('post {', source.indexOf("stage('All tenants')")),
    );
    expect(allText.indexOf('--check')).toBeLessThan(allText.indexOf('input message:'));
    expect(allText.indexOf('input message:')).toBeLessThan(allText.lastIndexOf('--all-tenants'));
    expect(allText).toMatch(/timeout\(time: 30, unit: 'MINUTES'\) \{\s*input message:/);
  });

  it('archives the reports and cleans the workspace whatever the result', () => {
    const always = child(child(pipeline, 'post'), 'always');
    expect(hasCall(always, 'archiveArtifacts')).toBe(true);
    expect(hasCall(always, 'cleanWs')).toBe(true);
  });

  it('refers to files that exist', () => {
    const paths = new Set(
      source.match(/deploy\/[\w./-]+\.(ts|sh|yaml|md)|deploy\/docker\/Dockerfile/g) ?? [],
    );
    const own = [...paths];
    expect(own).toEqual(
      expect.arrayContaining(['deploy/pipeline/promote.ts', 'deploy/pipeline/image-tag.ts']),
    );
    for (const path of own) expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
    const canary = (
      parse(readFileSync(join(REPO_ROOT, 'deploy/pipeline/promotion.yaml'), 'utf8')) as { canary: string[] }
    ).canary;
    for (const tenant of canary) expect(TENANTS).toContain(tenant);
    expect(blockLabel(stage('Scan'))).toBe('Scan');
  });
});
