/**
 * The Terraform under deploy/terraform (modules/, envs/prod/, bootstrap/), checked offline with the
 * tools deploy/tools/install.sh puts into .cache/tools:
 *   - formatting: `tofu fmt -check -recursive -diff` (OpenTofu's formatter, the one of `terraform fmt`);
 *   - tflint --recursive with deploy/terraform/.tflint.hcl (bundled Terraform ruleset, preset
 *     "recommended" plus naming and documentation rules; local module calls followed);
 *   - checkov --framework terraform: no failed check, no file it cannot parse, and every suppression
 *     (`#checkov:skip=ID:reason`) carries its reason.
 *
 * Each tool is first shown to fail on a fixture (deploy/test/fixtures/terraform/: insecure resources,
 * bad formatting, an untyped undocumented variable) and to pass a clean one, or its passing the real
 * code would prove nothing. The fixtures live outside deploy/terraform, out of every real scan.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  type CheckovResult,
  type CheckovSuppression,
  TERRAFORM_DIR,
  checkov,
  checkovSuppressions,
  parseCheckovSuppressions,
  run,
  terraformFiles,
  terraformFmtCheck,
  tflint,
  toolPath,
} from './support/tools.js';

const FIXTURES = 'deploy/test/fixtures/terraform';
const TERRAFORM = 'deploy/terraform';
/** checkov over a directory takes seconds to tens of seconds. */
const CHECKOV_TIMEOUT = 300_000;

/** The suppressions without a written reason, as "file:line ids". */
function reasonless(suppressions: readonly CheckovSuppression[]): string[] {
  return suppressions
    .filter((s) => s.reason === '' || s.checkIds.length === 0)
    .map((s) => `${s.file}:${s.line} ${s.checkIds.join(',') || '(no check id)'}`);
}

/** checkov's failures as "CHECK_ID resource file:line", for readable assertion messages. */
function failures(result: CheckovResult): string[] {
  return result.failed.map((f) => `${f.checkId} ${f.resource} ${f.file}:${f.lines[0]} ${f.checkName}`);
}

describe('the Terraform checks themselves', () => {
  it.each([
    ['tofu', ['version', '-no-color'], /^OpenTofu v1\.12\.6\n/],
    ['tflint', ['--version'], /^TFLint version 0\.64\.0\n\+ ruleset\.terraform \(0\.15\.0-bundled\)/],
    ['checkov', ['--version'], /^3\.3\.30$/],
  ] as const)('%s reports its pinned version', (tool, args, version) => {
    const result = run(toolPath(tool), args, {
      env: { TF_CLI_CONFIG_FILE: '/dev/null', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(version);
  });

  it('fmt passes formatted code and fails badly formatted code, with the diff', () => {
    expect(terraformFmtCheck(`${FIXTURES}/clean`).ok).toBe(true);
    const bad = terraformFmtCheck(`${FIXTURES}/unformatted`);
    expect(bad.ok).toBe(false);
    expect(bad.code).toBe(3);
    expect(bad.files).toEqual([`${FIXTURES}/unformatted/main.tf`]);
    expect(bad.diff).toContain('+  description = "The AWS region"');
  });

  it('tflint passes the clean module and fails an untyped, undocumented, unused variable', () => {
    const clean = tflint(`${FIXTURES}/clean`);
    expect(clean.issues).toEqual([]);
    expect(clean.ok).toBe(true);

    const bad = tflint(`${FIXTURES}/undocumented`);
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual([]);
    const file = `${FIXTURES}/undocumented/main.tf`;
    expect(bad.issues.map((i) => `${i.rule} ${i.file}:${i.line}`).sort()).toEqual([
      `terraform_documented_outputs ${file}:13`,
      `terraform_documented_variables ${file}:9`,
      `terraform_typed_variables ${file}:9`,
      `terraform_unused_declarations ${file}:9`,
    ]);
  });

  it(
    'checkov fails the insecure fixture: public and unencrypted S3, public unencrypted RDS, SSH from anywhere',
    () => {
      const result = checkov(`${FIXTURES}/insecure`);
      expect(result.ok).toBe(false);
      expect(result.parsingErrors).toEqual([]);
      const failed = new Set(result.failed.map((f) => `${f.checkId} ${f.resource}`));
      for (const expected of [
        'CKV_AWS_20 aws_s3_bucket.public', // ACL allows public READ
        'CKV2_AWS_6 aws_s3_bucket.public', // no (effective) public access block
        'CKV_AWS_53 aws_s3_bucket_public_access_block.public', // block_public_acls
        'CKV_AWS_54 aws_s3_bucket_public_access_block.public', // block_public_policy
        'CKV_AWS_55 aws_s3_bucket_public_access_block.public', // ignore_public_acls
        'CKV_AWS_56 aws_s3_bucket_public_access_block.public', // restrict_public_buckets
        'CKV_AWS_145 aws_s3_bucket.public', // not encrypted with KMS
        'CKV_AWS_16 aws_db_instance.public', // storage_encrypted = false
        'CKV_AWS_17 aws_db_instance.public', // publicly_accessible = true
        'CKV_AWS_24 aws_security_group.ssh_open', // 22 from 0.0.0.0/0
      ]) {
        expect(failed, `checkov should report ${expected}`).toContain(expected);
      }
      expect(result.failed.every((f) => f.file === `${FIXTURES}/insecure/main.tf`)).toBe(true);
    },
    CHECKOV_TIMEOUT,
  );

  it(
    'checkov passes the clean fixture, whose one suppression has its reason',
    () => {
      const result = checkov(`${FIXTURES}/clean`);
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.passed).toBeGreaterThan(0);
      expect(result.skipped.map((s) => [s.checkId, s.suppressComment])).toEqual([
        ['CKV_AWS_338', 'Debug logs of a test fixture: thirty days are enough, a year costs for nothing'],
      ]);
      expect(checkovSuppressions(`${FIXTURES}/clean`)).toEqual([
        {
          file: `${FIXTURES}/clean/main.tf`,
          line: 39,
          checkIds: ['CKV_AWS_338'],
          reason: 'Debug logs of a test fixture: thirty days are enough, a year costs for nothing',
        },
      ]);
    },
    CHECKOV_TIMEOUT,
  );

  it('finds suppressions with no reason, as checkov reads them', () => {
    const text = [
      'resource "aws_s3_bucket" "a" {',
      '  #checkov:skip=CKV_AWS_18:Access logs of the access logs would need yet another bucket',
      '  # checkov:skip=CKV_AWS_144',
      '  // checkov:skip=CKV_AWS_145:',
      '  /* bridgecrew:skip=CKV2_AWS_62,CKV2_AWS_61:   */',
      '  #checkov:skip=',
      '}',
    ].join('\n');
    const found = parseCheckovSuppressions(text, 'x.tf');
    expect(found.map((s) => [s.line, s.checkIds, s.reason])).toEqual([
      [2, ['CKV_AWS_18'], 'Access logs of the access logs would need yet another bucket'],
      [3, ['CKV_AWS_144'], ''],
      [4, ['CKV_AWS_145'], ''],
      [5, ['CKV2_AWS_62', 'CKV2_AWS_61'], ''],
      [6, [], ''],
    ]);
    expect(reasonless(found)).toEqual([
      'x.tf:3 CKV_AWS_144',
      'x.tf:4 CKV_AWS_145',
      'x.tf:5 CKV2_AWS_62,CKV2_AWS_61',
      'x.tf:6 (no check id)',
    ]);
  });
});

describe('deploy/terraform', () => {
  it('has the environment composition to scan', () => {
    expect(existsSync(join(TERRAFORM_DIR, 'envs', 'prod', 'main.tf'))).toBe(true);
  });

  it('has modules, envs/prod and bootstrap to check', () => {
    const files = terraformFiles(TERRAFORM);
    expect(files).toEqual(expect.arrayContaining([`${TERRAFORM}/envs/prod/main.tf`]));
    expect(files.some((f) => f.startsWith(`${TERRAFORM}/modules/`))).toBe(true);
    expect(files.some((f) => f.startsWith(`${TERRAFORM}/bootstrap/`))).toBe(true);
    expect(files.some((f) => f.startsWith(FIXTURES))).toBe(false);
  });

  it('is formatted (terraform fmt -check -recursive -diff)', () => {
    const result = terraformFmtCheck(TERRAFORM);
    expect(
      result.files,
      `run \`tofu fmt -recursive ${TERRAFORM}\` (or terraform fmt):\n${result.diff}`,
    ).toEqual([]);
    expect(result.ok, result.stderr).toBe(true);
  });

  it('passes tflint in every module (recursive, local module calls followed)', () => {
    const result = tflint(TERRAFORM, { recursive: true });
    expect(result.errors).toEqual([]);
    expect(result.issues.map((i) => `${i.file}:${i.line} ${i.rule}: ${i.message}`)).toEqual([]);
    expect(result.ok, result.stderr).toBe(true);
  });

  describe('checkov', () => {
    let result: CheckovResult;
    beforeAll(() => {
      result = checkov(TERRAFORM);
    }, CHECKOV_TIMEOUT);

    it('reports no failed check and parses every file', () => {
      expect(result.parsingErrors).toEqual([]);
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.resourceCount).toBeGreaterThan(0);
    });

    it('every suppression carries its written reason', () => {
      const suppressions = checkovSuppressions(TERRAFORM);
      expect(reasonless(suppressions), 'write `#checkov:skip=CHECK_ID:why it does not apply here`').toEqual(
        [],
      );
      // What checkov skipped is what the comments say, reason for reason (a module's resource is
      // reported once per call, hence the set).
      const fromComments = new Set(
        suppressions.flatMap((s) => s.checkIds.map((id) => `${s.file} ${id} ${s.reason}`)),
      );
      for (const skipped of result.skipped) {
        expect(skipped.suppressComment, `${skipped.checkId} ${skipped.resource}`).not.toBe(
          'No comment provided',
        );
        expect(fromComments).toContain(`${skipped.file} ${skipped.checkId} ${skipped.suppressComment ?? ''}`);
      }
    });
  });
});
