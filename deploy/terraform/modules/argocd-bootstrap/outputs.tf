output "namespace" {
  description = "Namespace of Argo CD."
  value       = helm_release.argocd.namespace
}

output "chart_version" {
  description = "Version of the argo-cd chart installed."
  value       = helm_release.argocd.version
}

output "root_application" {
  description = "Name of the root Application (app of apps) and the path it syncs."
  value       = "${local.root_app.metadata.name} (${var.repo_url} ${var.target_revision}:${local.root_app.spec.source.path})"
}
