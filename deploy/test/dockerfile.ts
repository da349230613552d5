/**
 * Offline checks of deploy/docker/Dockerfile and its build context (.dockerignore), for
 * images.test.ts: what can be proven about the images without a Docker engine.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';

export interface Instruction {
  /** Upper case: FROM, RUN, USER, … */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  /** The image (or earlier stage) the stage starts from. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions grouped by stage; comments, parser directives and line continuations handled. */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    // Comment lines are dropped, also between continuation lines (as BuildKit does).
    if (/^\s*#/.test(line)) return;
    if (!pending && line.trim() === '') return;
    const continued = /\\\s*$/.test(line);
    const content = continued ? line.replace(/\\\s*$/, '') : line;
    pending = pending
      ? { ...pending, text: `${pending.text} ${content.trim()}` }
      : { text: content.trim(), line: index + 1 };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.text);
    if (match?.[1])
      instructions.push({
        keyword: match[1].toUpperCase(),
        args: (match[2] ?? '').trim(),
        line: pending.line,
      });
    pending = undefined;
  });
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      stages.push({ from: words[0] ?? '', ...(name ? { name } : {}), instructions: [instruction] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** `key=value` pairs of LABEL instructions (values unquoted, variables left as written). */
export function labelsOf(stage: Stage): Map<string, string> {
  const labels = new Map<string, string>();
  for (const instruction of stage.instructions.filter(({ keyword }) => keyword === 'LABEL')) {
    for (const match of instruction.args.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
      const [, key, value] = match;
      if (key && value !== undefined) labels.set(key.replace(/^"|"$/g, ''), value.replace(/^"|"$/g, ''));
    }
  }
  return labels;
}

export const REQUIRED_LABELS = [
  'org.opencontainers.image.title',
  'org.opencontainers.image.description',
  'org.opencontainers.image.source',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.version',
  'org.opencontainers.image.created',
  'org.opencontainers.image.licenses',
  'org.opencontainers.image.vendor',
];

const DIGEST = /@sha256:[0-9a-f]{64}$/;

function isExecForm(args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}

/**
 * What is wrong with a Dockerfile for a production image, one sentence each (empty: nothing):
 * every base image pinned by digest and none tagged latest; the final stage runs as a numeric
 * non-root user, carries the OCI labels, has no RUN or SHELL (its base has no shell or package
 * manager: anything to install belongs in the build stage), and starts in exec form.
 */
export function checkDockerfile(text: string): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(text);
  const final = stages.at(-1);
  if (!final) return ['no FROM: the file describes no image'];
  const earlierStages = new Set<string>();
  for (const stage of stages) {
    const where = `FROM ${stage.from} (line ${stage.instructions[0]?.line ?? '?'})`;
    if (earlierStages.has(stage.from.toLowerCase()) || stage.from === 'scratch') {
      // Built from an earlier stage: pinned through it.
    } else if (stage.from.includes('$')) {
      problems.push(`${where}: the base image comes from a build argument, so no digest pins it`);
    } else if (!DIGEST.test(stage.from)) {
      problems.push(`${where}: the base image is not pinned by an @sha256: digest`);
    }
    if (/:latest(@|$)/.test(stage.from)) problems.push(`${where}: the tag "latest" names no fixed image`);
    if (stage.name) earlierStages.add(stage.name.toLowerCase());
  }

  const users = final.instructions.filter(({ keyword }) => keyword === 'USER');
  const user = users.at(-1)?.args;
  const numeric = user === undefined ? undefined : /^(\d+)(?::(\d+))?$/.exec(user);
  if (user === undefined) {
    problems.push('final stage: no USER, so the container runs as root');
  } else if (!numeric) {
    problems.push(`final stage: USER ${user} is not numeric (runAsNonRoot can only verify a numeric user)`);
  } else if (numeric[1] === '0' || numeric[2] === '0') {
    problems.push(`final stage: USER ${user} is root`);
  }

  const labels = labelsOf(final);
  const missing = REQUIRED_LABELS.filter((label) => !labels.has(label));
  if (missing.length > 0) problems.push(`final stage: missing labels ${missing.join(', ')}`);

  for (const instruction of final.instructions) {
    if (instruction.keyword === 'RUN' || instruction.keyword === 'SHELL') {
      problems.push(
        `final stage, line ${instruction.line}: ${instruction.keyword} ${instruction.args.slice(0, 40)}: the runtime image has no shell or package manager`,
      );
    }
    if (instruction.keyword === 'ADD') {
      problems.push(`final stage, line ${instruction.line}: ADD (use COPY --from the build stage)`);
    }
    if (
      (instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') &&
      !isExecForm(instruction.args)
    ) {
      problems.push(
        `final stage, line ${instruction.line}: ${instruction.keyword} in shell form needs a shell the image does not have`,
      );
    }
  }
  return problems;
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * A .dockerignore as Docker reads it: one pattern a line (`*`, `?`, `**`), `!` re-includes, the last
 * matching pattern decides, and a path is excluded with an excluded parent directory.
 */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = path.posix.normalize((negated ? line.slice(1) : line).trim().replace(/^\/+/, ''));
      return { negated, regexp: patternToRegExp(pattern) };
    });
  return (relativePath) => {
    const parts = relativePath.split(path.sep).join('/').split('/');
    let ignored = false;
    for (const rule of rules) {
      for (let length = 1; length <= parts.length; length += 1) {
        if (rule.regexp.test(parts.slice(0, length).join('/'))) {
          ignored = !rule.negated;
          break;
        }
      }
    }
    return ignored;
  };
}

/** Copies what `docker build` would send as the context of `root` to `destination`. */
export async function copyBuildContext(
  root: string,
  destination: string,
  dockerignore: string,
): Promise<void> {
  const ignored = dockerignoreMatcher(dockerignore);
  await cp(root, destination, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const relative = path.relative(root, source);
      return relative === '' || !ignored(relative);
    },
  });
}
