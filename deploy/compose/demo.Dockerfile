# syntax=docker/dockerfile:1.7
#
# The demo tooling of docker-compose.yml (services `dev-keys` and `simulator`), built from the
# repository root like the services' image (the root .dockerignore filters the context):
#   docker build -f deploy/compose/demo.Dockerfile -t fleetwatch/demo:local .
# It is the workspace as `make install` leaves it (frozen lockfile, development dependencies included)
# running deploy/compose/demo.ts from source with tsx, as `make dev` runs packages/demo: a development
# tool, not a production image. Same base image, pinned by the same digest, as deploy/docker/Dockerfile.

FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS demo
WORKDIR /repo
# pnpm's store: a cache mount shared with deploy/docker/Dockerfile's builds, never part of a layer.
ENV npm_config_store_dir=/pnpm/store
COPY package.json ./
RUN npm install --global --no-fund --no-audit \
    "pnpm@$(node -p "require('./package.json').packageManager.split('@')[1]")"
COPY . .
RUN --mount=type=cache,id=fleetwatch-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile
# The folders the compose volumes are mounted on (the signing key, the demo's state), owned by the user
# the containers run as: a new named volume takes the ownership of the folder it is mounted on.
RUN mkdir -p /dev-auth /demo-state && chown 65532:65532 /dev-auth /demo-state
USER 65532:65532
ENTRYPOINT ["node", "--conditions=source", "--import", "tsx", "deploy/compose/demo.ts"]
CMD ["run"]
