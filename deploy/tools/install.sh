#!/usr/bin/env bash
# Installs the offline Kubernetes validation tools the deploy tests use into .cache/tools/:
#   bin/helm, bin/kubeconform, bin/kube-score  (go install, pinned versions)
#   bin/pss-check                              (deploy/tools/pss-check, Pod Security Admission library)
#   python/                                    (PyPI kubernetes-validate, for its Kubernetes JSON schemas; PyYAML)
#   schemas/kubernetes/<kind>-<group>-<version>.json  standalone strict schemas of Kubernetes 1.33
#   schemas/crds/<group>/<kind>_<version>.json        schemas of the CRDs in deploy/crds/
# Each step is skipped when its stamp (stamps/<step>, holding the pinned version or a hash of the
# sources) matches, so a second run takes well under a second. Needs Go and Python 3 with pip;
# reaches only the Go module proxy and PyPI.
set -euo pipefail

HELM_VERSION=v3.21.4
HELM_KUBE_MAJOR=1
HELM_KUBE_MINOR=33
KUBECONFORM_VERSION=v0.7.0
KUBE_SCORE_VERSION=v1.20.0
KUBERNETES_VALIDATE_VERSION=1.33.1
PYYAML_VERSION=6.0.3
KUBERNETES_SCHEMA_VERSION=1.33.0

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
[[ $SECONDS -lt 2 ]] || log "done"
