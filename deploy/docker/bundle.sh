#!/usr/bin/env bash
# deploy/docker/bundle.sh OUT SERVICE [SERVICE...]
#
# Builds services and deploys each as a self-contained production bundle in OUT/<service>: the
# service's package.json, dist/ and migrations/, and a node_modules/ with its production dependencies
# only, workspace packages included as copies of their "files" (dist/). Run from anywhere inside a
# workspace checkout whose dependencies may still be uninstalled. deploy/docker/Dockerfile runs this
# script for its one service, and deploy/test/images.test.ts runs it for all of them, so the test
# exercises exactly what goes into the images.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 OUT SERVICE [SERVICE...]" >&2
  exit 2
fi
out=$1
shift
cd "$(dirname "$0")/../.."

# The lockfile as committed; packages already in pnpm's store are not fetched again.
pnpm install --frozen-lockfile --prefer-offline

# Each service and the workspace packages it depends on in production (dependencies, not
# devDependencies), each built once, in dependency order.
filters=()
for service in "$@"; do
  filters+=(--filter-prod "@fleetwatch/${service}...")
done
pnpm "${filters[@]}" run build

# pnpm 10's deploy reads the versions from pnpm-lock.yaml (a dedicated lockfile for the bundle) only
# when workspace packages are injected. Setting that for this command alone leaves the development
# install as it is (workspace packages symlinked, their src/ seen through the "source" condition).
for service in "$@"; do
  pnpm --filter "@fleetwatch/${service}" --prod --config.inject-workspace-packages=true \
    deploy "${out}/${service}"
done
