// pss-check evaluates the pod specs in Kubernetes manifests against a Pod Security Standards
// level with the upstream Pod Security Admission library, offline (no API server).
//
// Usage: pss-check [--level restricted] [--version latest] [--require-pods] [file ...]
//
// It reads multi-document YAML from the files given (or stdin when none, or "-"), finds every
// pod spec (Pod, and the pod templates of Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job, CronJob and PodTemplate, also inside a v1 List), and prints one line
// per violation:
//
//	<Kind>/<namespace>/<name>: <reason>: <detail>
//
// followed by a summary line starting with "pss-check:". Exit status: 0 when every pod spec is
// allowed, 1 when any violation was found, 2 on bad input or usage, or when --require-pods is
// given and the input holds no pod spec.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

// podSpecRef is one pod spec found in the input, with the object that holds it.
type podSpecRef struct {
	kind, namespace, name string
	meta                  metav1.ObjectMeta
	spec                  corev1.PodSpec
}

type typeMeta struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Items      []json.RawMessage `json:"items"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("pss-check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	levelFlag := flags.String("level", "restricted", "Pod Security Standards level: privileged, baseline or restricted")
	versionFlag := flags.String("version", "latest", `policy version, "latest" or "v1.N"`)
	requirePods := flags.Bool("require-pods", false, "exit 2 when the input holds no pod spec")
	defaultNamespace := flags.String("namespace", "default", "namespace to print for objects that set none")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	level, err := api.ParseLevel(*levelFlag)
	if err != nil {
		fmt.Fprintf(stderr, "pss-check: %v\n", err)
		return 2
	}
	version, err := api.ParseVersion(*versionFlag)
	if err != nil {
		fmt.Fprintf(stderr, "pss-check: %v\n", err)
		return 2
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		fmt.Fprintf(stderr, "pss-check: %v\n", err)
		return 2
	}

	files := flags.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	var pods []podSpecRef
	for _, file := range files {
		var in io.Reader
		if file == "-" {
			in = stdin
		} else {
			f, err := os.Open(file)
			if err != nil {
				fmt.Fprintf(stderr, "pss-check: %v\n", err)
				return 2
			}
			defer f.Close()
			in = f
		}
		found, err := readPodSpecs(in, *defaultNamespace)
		if err != nil {
			fmt.Fprintf(stderr, "pss-check: %s: %v\n", file, err)
			return 2
		}
		pods = append(pods, found...)
	}

	lv := api.LevelVersion{Level: level, Version: version}
	violations := 0
	for i := range pods {
		p := &pods[i]
		for _, result := range evaluator.EvaluatePod(lv, &p.meta, &p.spec) {
			if result.Allowed {
				continue
			}
			violations++
			reason := result.ForbiddenReason
			if reason == "" {
				reason = policy.UnknownForbiddenReason
			}
			fmt.Fprintf(stdout, "%s/%s/%s: %s: %s\n", p.kind, p.namespace, p.name, reason, result.ForbiddenDetail)
		}
	}
	fmt.Fprintf(stdout, "pss-check: %d pod specs checked, %d violations (level %s, version %s)\n",
		len(pods), violations, level, version)
	switch {
	case violations > 0:
		return 1
	case len(pods) == 0 && *requirePods:
		fmt.Fprintln(stderr, "pss-check: no pod specs found in the input (--require-pods)")
		return 2
	default:
		return 0
	}
}

// readPodSpecs splits multi-document YAML and collects the pod specs of the documents.
func readPodSpecs(in io.Reader, defaultNamespace string) ([]podSpecRef, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(in))
	var pods []podSpecRef
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return pods, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		found, err := podSpecsOf(doc, defaultNamespace)
		if err != nil {
			return nil, err
		}
		pods = append(pods, found...)
	}
}

func podSpecsOf(doc []byte, defaultNamespace string) ([]podSpecRef, error) {
	var tm typeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return nil, err
	}
	if tm.Kind == "" {
		// Comment-only documents (helm template emits "# Source:" headers) decode to nothing.
		return nil, nil
	}
	ref := func(kind string, objectMeta metav1.ObjectMeta, podMeta metav1.ObjectMeta, spec corev1.PodSpec) []podSpecRef {
		ns := objectMeta.Namespace
		if ns == "" {
			ns = defaultNamespace
		}
		return []podSpecRef{{kind: kind, namespace: ns, name: objectMeta.Name, meta: podMeta, spec: spec}}
	}
	group := tm.APIVersion
	if i := strings.Index(group, "/"); i >= 0 {
		group = group[:i]
	} else {
		group = ""
	}
	switch {
	case strings.HasSuffix(tm.Kind, "List") && tm.APIVersion == "v1":
		var pods []podSpecRef
		for _, item := range tm.Items {
			found, err := podSpecsOf(item, defaultNamespace)
			if err != nil {
				return nil, err
			}
			pods = append(pods, found...)
		}
		return pods, nil
	case group == "" && tm.Kind == "Pod":
		var o corev1.Pod
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.ObjectMeta, o.Spec), nil
	case group == "" && tm.Kind == "PodTemplate":
		var o corev1.PodTemplate
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Template.ObjectMeta, o.Template.Spec), nil
	case group == "" && tm.Kind == "ReplicationController":
		var o corev1.ReplicationController
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		if o.Spec.Template == nil {
			return nil, nil
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "apps" && tm.Kind == "Deployment":
		var o appsv1.Deployment
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "apps" && tm.Kind == "StatefulSet":
		var o appsv1.StatefulSet
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "apps" && tm.Kind == "DaemonSet":
		var o appsv1.DaemonSet
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "apps" && tm.Kind == "ReplicaSet":
		var o appsv1.ReplicaSet
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "batch" && tm.Kind == "Job":
		var o batchv1.Job
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		return ref(tm.Kind, o.ObjectMeta, o.Spec.Template.ObjectMeta, o.Spec.Template.Spec), nil
	case group == "batch" && tm.Kind == "CronJob":
		var o batchv1.CronJob
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Kind, err)
		}
		t := o.Spec.JobTemplate.Spec.Template
		return ref(tm.Kind, o.ObjectMeta, t.ObjectMeta, t.Spec), nil
	default:
		return nil, nil
	}
}
