#!/usr/bin/env python3
"""Writes the JSON schemas kubeconform validates rendered manifests against, offline.

Two subcommands, each writing a fresh directory (built aside, then swapped in):

  kubernetes --source DIR --out DIR
      DIR holds the strict schemas of one Kubernetes version as the PyPI package
      kubernetes-validate ships them (kubernetes-json-schema/v1.33.0-local-strict): one file per
      type, named like kubeconform's `{{.ResourceKind}}{{.KindSuffix}}.json` (deployment-apps-v1.json,
      service-v1.json), whose `$ref`s point into a shared `_definitions.json`. For every API kind
      (a definition with x-kubernetes-group-version-kind) this writes a standalone schema: every
      `$ref` inlined, except those to recursive definitions (JSONSchemaProps), which are kept once
      in the file's own `$defs` and referenced locally. The strictness (additionalProperties: false)
      is upstream's, unchanged.

  crds --out DIR [--object-meta _definitions.json] FILE...
      FILEs hold CustomResourceDefinitions (multi-document YAML). Each served version's
      openAPIV3Schema becomes DIR/<group>/<kind lowercased>_<version>.json, for kubeconform's
      `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`. Like kubeconform's
      scripts/openapi2jsonschema.py, objects with `properties` get `additionalProperties: false`
      (what the API server's pruning and kubectl's field validation do), but not where the CRD says
      x-kubernetes-preserve-unknown-fields or x-kubernetes-embedded-resource, nor inside
      allOf/anyOf/oneOf/not (value validations that must not restrict the fields). The root is
      closed too when it declares apiVersion, kind and metadata. `nullable: true` becomes a null
      type, x-kubernetes-int-or-string an integer-or-string. With --object-meta, a root `metadata`
      that the CRD leaves as a bare object gets the strict Kubernetes ObjectMeta schema.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

Json = Any

sys.setrecursionlimit(20000)


# --------------------------------------------------------------------------------------------
# Kubernetes built-in kinds


def kind_suffix(api_version: str) -> str:
    """kubeconform's KindSuffix: '-' + first label of the group (if any) + '-' + version."""
    group_parts = api_version.split("/")
    suffix = "-" + group_parts[0].split(".")[0].lower()
    if len(group_parts) > 1:
        suffix += "-" + group_parts[1].lower()
    return suffix


def ref_name(ref: str) -> str:
    # "/api/_definitions.json#/$defs/io.k8s.api.apps.v1.DeploymentSpec" -> the definition's name
    fragment = ref.split("#", 1)[1] if "#" in ref else ref
    prefix = "/$defs/"
    if not fragment.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return fragment[len(prefix) :]


def is_ref(node: Json) -> bool:
    # JSONSchemaProps has a *property* named "$ref" whose value is a schema object, not a string.
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def references(node: Json, acc: set[str]) -> set[str]:
    if isinstance(node, dict):
        if is_ref(node):
            acc.add(ref_name(node["$ref"]))
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                continue
            references(value, acc)
    elif isinstance(node, list):
        for item in node:
            references(item, acc)
    return acc


def recursive_definitions(defs: dict[str, Json]) -> set[str]:
    graph = {name: references(schema, set()) for name, schema in defs.items()}
    recursive = set()
    for start in graph:
        seen: set[str] = set()
        stack = list(graph[start])
        while stack:
            name = stack.pop()
            if name == start:
                recursive.add(start)
                break
            if name in seen:
                continue
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return recursive


def merge_ref(node: dict[str, Json], target: Json) -> Json:
    """A `{"$ref": ..., "description": ...}` node becomes the target with the node's extra keys
    (descriptions, x-kubernetes-* annotations); the target's validation keywords win."""
    merged = dict(target)
    for key, value in node.items():
        if key == "$ref":
            continue
        if key == "description" or key not in merged:
            merged[key] = value
    return merged


class Inliner:
    def __init__(self, defs: dict[str, Json]):
        self.defs = defs
        self.recursive = recursive_definitions(defs)
        self.cache: dict[str, Json] = {}

    def definition(self, name: str) -> Json:
        """The definition with every reference inlined but those to recursive definitions, which
        become local `#/$defs/<name>` references (memoised)."""
        if name not in self.cache:
            if name not in self.defs:
                raise KeyError(f"$ref to unknown definition {name}")
            self.cache[name] = self.inline(self.defs[name])
        return self.cache[name]

    def inline(self, node: Json) -> Json:
        if isinstance(node, list):
            return [self.inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if is_ref(node):
            name = ref_name(node["$ref"])
            if name in self.recursive:
                return {**node, "$ref": f"#/$defs/{name}"}
            return merge_ref(node, self.definition(name))
        return {key: self.inline(value) for key, value in node.items()}


def local_refs(node: Json, acc: set[str]) -> set[str]:
    if isinstance(node, dict):
        if is_ref(node) and node["$ref"].startswith("#/$defs/"):
            acc.add(node["$ref"][len("#/$defs/") :])
        for value in node.values():
            local_refs(value, acc)
    elif isinstance(node, list):
        for item in node:
            local_refs(item, acc)
    return acc


def standalone(inliner: Inliner, schema: Json) -> Json:
    out = inliner.inline({k: v for k, v in schema.items() if k not in ("$id", "$schema")})
    local_defs: dict[str, Json] = {}
    pending = local_refs(out, set())
    while pending:
        name = pending.pop()
        if name not in local_defs:
            local_defs[name] = inliner.definition(name)
            pending |= local_refs(local_defs[name], set()) - set(local_defs)
    result = {"$schema": schema.get("$schema", "https://json-schema.org/draft/2020-12/schema"), **out}
    if local_defs:
        result["$defs"] = dict(sorted(local_defs.items()))
    return result


def write_json(path: Path, data: Json) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"), sort_keys=False)
        f.write("\n")


def replace_dir(tmp: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, out)


def kubernetes_command(source: Path, out: Path) -> int:
    definitions_file = source / "_definitions.json"
    defs = json.loads(definitions_file.read_text(encoding="utf-8"))["$defs"]
    inliner = Inliner(defs)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent if out.parent.exists() else None))
    written = 0
    try:
        for file in sorted(source.glob("*.json")):
            if file.name in ("_definitions.json", "all.json"):
                continue
            schema = json.loads(file.read_text(encoding="utf-8"))
            gvks = schema.get("x-kubernetes-group-version-kind")
            if not gvks:
                continue  # a type used inside kinds, never looked up by kubeconform
            result = standalone(inliner, schema)
            names = set()
            for gvk in gvks:
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                names.add(f"{gvk['kind'].lower()}{kind_suffix(api_version)}.json")
            # The names come from the group-version-kinds, as kubeconform computes them: upstream's
            # file name differs for a few (internal.apiserver.k8s.io is "internal", not "apiserverinternal").
            for name in sorted(names):
                write_json(tmp / name, result)
                written += 1
        if written == 0:
            raise SystemExit(f"no Kubernetes kinds found in {source}")
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"k8s-schemas: {written} Kubernetes schemas written to {out}")
    return 0


# --------------------------------------------------------------------------------------------
# CustomResourceDefinitions

JUNCTORS = ("allOf", "anyOf", "oneOf", "not")


def crd_to_jsonschema(node: Json, in_junctor: bool = False) -> Json:
    """OpenAPI v3 (structural CRD schema) to JSON schema draft 4, closing objects with properties."""
    if isinstance(node, list):
        return [crd_to_jsonschema(item, in_junctor) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Json] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: crd_to_jsonschema(schema, in_junctor) for name, schema in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, (dict, list)):
            out[key] = crd_to_jsonschema(value, in_junctor)
        elif key in JUNCTORS:
            out[key] = crd_to_jsonschema(value, True)
        else:
            out[key] = value  # keywords and x-kubernetes-* annotations, kept as they are
    if out.get("x-kubernetes-int-or-string") and not any(k in out for k in ("anyOf", "oneOf")):
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not in_junctor
        and not out.get("x-kubernetes-preserve-unknown-fields")
        and not out.get("x-kubernetes-embedded-resource")
    ):
        out["additionalProperties"] = False
    return out


def load_yaml_documents(file: Path) -> list[Json]:
    import yaml  # PyYAML (installed into .cache/tools/python by install.sh)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def construct_value(load: Any, node: Any) -> str:
        # "=" is a YAML value-key tag; some CRDs use "=" as a plain string (an enum of operators).
        return str(node.value)

    loader.add_constructor("tag:yaml.org,2002:value", construct_value)
    with open(file, encoding="utf-8") as f:
        return [doc for doc in yaml.load_all(f, Loader=loader) if doc is not None]


def crds_command(files: list[Path], out: Path, object_meta_source: Path | None) -> int:
    object_meta = None
    if object_meta_source is not None:
        defs = json.loads(object_meta_source.read_text(encoding="utf-8"))["$defs"]
        object_meta = Inliner(defs).definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent if out.parent.exists() else None))
    written = 0
    try:
        for file in files:
            crds = []
            for doc in load_yaml_documents(file):
                if doc.get("kind") == "CustomResourceDefinition":
                    crds.append(doc)
                elif doc.get("kind", "").endswith("List"):
                    crds.extend(i for i in doc.get("items", []) if i.get("kind") == "CustomResourceDefinition")
            for crd in crds:
                spec = crd["spec"]
                group, kind = spec["group"], spec["names"]["kind"]
                for version in spec.get("versions", []):
                    schema = (version.get("schema") or {}).get("openAPIV3Schema") or (spec.get("validation") or {}).get(
                        "openAPIV3Schema"
                    )
                    if schema is None:
                        print(f"warning: {file.name}: {kind} {version['name']} has no schema", file=sys.stderr)
                        continue
                    result = crd_to_jsonschema(schema)
                    props = result.get("properties", {})
                    if all(k in props for k in ("apiVersion", "kind", "metadata")):
                        result.setdefault("additionalProperties", False)
                        if object_meta is not None and set(props["metadata"]) <= {"type", "description"}:
                            props["metadata"] = copy.deepcopy(object_meta)
                    result = {"$schema": "http://json-schema.org/draft-04/schema#", **result}
                    write_json(tmp / group / f"{kind.lower()}_{version['name']}.json", result)
                    written += 1
        if written == 0:
            raise SystemExit("no CustomResourceDefinition schemas found")
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"k8s-schemas: {written} CRD schemas written to {out}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    k8s = sub.add_parser("kubernetes", help="standalone schemas of the built-in kinds")
    k8s.add_argument("--source", type=Path, required=True)
    k8s.add_argument("--out", type=Path, required=True)
    crds = sub.add_parser("crds", help="schemas of custom resources from CRD files")
    crds.add_argument("--out", type=Path, required=True)
    crds.add_argument("--object-meta", type=Path, help="kubernetes-validate _definitions.json for ObjectMeta")
    crds.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "kubernetes":
        return kubernetes_command(args.source, args.out)
    return crds_command(args.files, args.out, args.object_meta)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
