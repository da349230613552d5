#!/usr/bin/env bash
# Commits a promotion (image tags in argocd/tenants/*.yaml) to the deployment branch and pushes it; the
# Jenkinsfile's Promote stage runs it with deploy/pipeline/promote.ts as COMMAND:
#
#   deploy/pipeline/commit-promotion.sh [--check] --worktree DIR --message MSG -- COMMAND [ARG...]
#
# 1. fetches the branch (PROMOTE_BRANCH, default main) from the remote (PROMOTE_REMOTE, default origin)
#    and checks it out, detached, in a new worktree DIR: the promotion applies to the newest tenant files,
#    not to those of the commit the build started from;
# 2. runs COMMAND from the current directory (it edits the files under DIR, e.g. `node --conditions=source
#    --import tsx deploy/pipeline/promote.ts --root DIR ...`; PROMOTE_WORKTREE=DIR is exported) and shows
#    the diff;
# 3. refuses any change but to existing argocd/tenants/*.yaml files; with no change, there is nothing to
#    promote: exit 0;
# 4. commits as the pipeline's bot (PROMOTE_GIT_NAME, PROMOTE_GIT_EMAIL) and pushes to the branch. When
#    the push is refused (someone pushed in between), starts again from 1 on the new head, at most
#    PROMOTE_ATTEMPTS (3) times.
#
# --check: steps 1 to 3 only, nothing committed; exit 0 when there is something to promote, 3 when not.
# Exit 1 on any failure, 2 on a usage error. DIR is removed at the end. Git's credentials for the remote
# are the caller's (the Jenkinsfile binds the bot's token with gitUsernamePassword). Nothing here talks to
# a cluster: Argo CD picks the commit up from the branch.
set -euo pipefail

usage() {
  echo "usage: $0 [--check] --worktree DIR --message MSG -- COMMAND [ARG...]" >&2
  exit 2
}

check=false
worktree=''
message=''
while (($# > 0)); do
  case $1 in
    --check) check=true; shift ;;
    --worktree) (($# >= 2)) || usage; worktree=$2; shift 2 ;;
    --message) (($# >= 2)) || usage; message=$2; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
if (($# == 0)) || [[ -z $worktree ]]; then usage; fi
[[ $check == true || -n $message ]] || usage

remote=${PROMOTE_REMOTE:-origin}
branch=${PROMOTE_BRANCH:-main}
attempts=${PROMOTE_ATTEMPTS:-3}
export GIT_AUTHOR_NAME=${PROMOTE_GIT_NAME:-Fleetwatch pipeline}
export GIT_AUTHOR_EMAIL=${PROMOTE_GIT_EMAIL:-fleetwatch-pipeline@users.noreply.github.com}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export PROMOTE_WORKTREE=$worktree

log() { echo "commit-promotion: $*"; }
fail() { echo "commit-promotion: $*" >&2; exit 1; }

remove_worktree() {
  git worktree remove --force "$worktree" >/dev/null 2>&1 || true
  git worktree prune
}
remove_worktree
[[ ! -e $worktree ]] || fail "$worktree exists and is not a worktree of this repository: remove it"
trap remove_worktree EXIT

# Steps 1-3: sets `changed` to true when the command changed tenant files, to false when it changed nothing.
changed=false
prepare() {
  changed=false
  git fetch --quiet --no-tags "$remote" "refs/heads/$branch" || fail "cannot fetch $branch from $remote"
  local base
  base=$(git rev-parse --verify 'FETCH_HEAD^{commit}')
  if [[ -d $worktree ]]; then
    git -C "$worktree" reset --quiet --hard "$base"
    git -C "$worktree" clean --quiet -ffdx
  else
    git worktree add --quiet --detach "$worktree" "$base"
  fi
  log "$remote/$branch is at $(git -C "$worktree" log -1 --format='%h %s')"
  "$@" || fail "the promotion command failed (exit status $?); nothing committed"
  local status outside
  status=$(git -C "$worktree" status --porcelain=v1 --untracked-files=all)
  [[ -n $status ]] || return 0
  outside=$(grep -Ev '^ M argocd/tenants/[^/]+\.yaml$' <<<"$status" || true)
  [[ -z $outside ]] || fail "refused: changes other than to existing tenant files:"$'\n'"$outside"
  git -C "$worktree" --no-pager diff --stat
  git -C "$worktree" --no-pager diff
  changed=true
}

for ((attempt = 1; ; attempt++)); do
  prepare "$@"
  if [[ $changed == false ]]; then
    log "nothing to promote: $remote/$branch already has these tags"
    [[ $check == true ]] && exit 3
    exit 0
  fi
  if [[ $check == true ]]; then
    log "check: the diff above would be committed to $branch"
    exit 0
  fi
  git -C "$worktree" add -- argocd/tenants
  git -C "$worktree" commit --quiet --no-verify -m "$message"
  if git -C "$worktree" push "$remote" "HEAD:refs/heads/$branch"; then
    log "pushed $(git -C "$worktree" log -1 --format='%h') to $remote/$branch"
    exit 0
  fi
  ((attempt < attempts)) || fail "push to $remote/$branch refused $attempts times; nothing promoted"
  log "push refused (attempt $attempt of $attempts; did $branch move?): again on the new head"
  sleep $((attempt * 2))
done
