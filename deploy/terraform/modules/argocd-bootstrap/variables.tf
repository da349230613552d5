variable "namespace" {
  description = "Namespace of Argo CD (argocd/ expects argocd)."
  type        = string
  default     = "argocd"
}

variable "chart_repository" {
  description = "Helm repository of the argo-cd and argocd-apps charts."
  type        = string
  default     = "https://argoproj.github.io/argo-helm"
}

variable "chart_version" {
  description = "Version of the argo-cd chart (10.1.1: Argo CD v3.4.4)."
  type        = string
  default     = "10.1.1"
}

variable "apps_chart_version" {
  description = "Version of the argocd-apps chart that creates the platform project and the root Application."
  type        = string
  default     = "2.0.5"
}

variable "domain" {
  description = "Host name of the Argo CD UI and API (global.domain; the OIDC redirect is https://<domain>/auth/callback)."
  type        = string
}

variable "oidc" {
  description = "OpenID Connect login. client_secret_ref points at a Kubernetes Secret key ($<secret>:<key>, the Secret labelled app.kubernetes.io/part-of=argocd), created outside Terraform so the secret is never in the state; null for a public client with PKCE. The groups claim must be in the ID token: the AppProject roles and the RBAC below match on it."
  type = object({
    name              = optional(string, "SSO")
    issuer            = string
    client_id         = string
    client_secret_ref = optional(string, "$argocd-oidc:clientSecret")
    requested_scopes  = optional(list(string), ["openid", "profile", "email", "groups"])
  })
}

variable "admin_groups" {
  description = "Identity-provider groups that are Argo CD administrators (role:admin): platform administrators only."
  type        = list(string)

  validation {
    condition     = length(var.admin_groups) > 0
    error_message = "admin_groups must name at least one group."
  }
}

variable "readonly_groups" {
  description = "Identity-provider groups with read-only access to every application (role:readonly)."
  type        = list(string)
  default     = []
}

variable "local_admin_enabled" {
  description = "Keep Argo CD's local admin user. Off: people log in through OIDC; break-glass is kubectl with cluster-admin (argocd login --core)."
  type        = bool
  default     = false
}

variable "application_health_check" {
  description = "Add the health check of argoproj.io/Application to argocd-cm, so the root app's sync waves wait for the platform applications to be healthy (argocd/README.md)."
  type        = bool
  default     = true
}

variable "argocd_dir" {
  description = "Path of the repository's argocd/ directory; root.yaml and projects/platform.yaml are read from it, so Terraform creates exactly what git declares."
  type        = string
}

variable "repo_url" {
  description = "URL of the platform repository. argocd/ and charts/tenant/values.yaml name https://github.com/fleetwatch/fleetwatch.git; set the same URL there (argocd/README.md) when it differs."
  type        = string
  default     = "https://github.com/fleetwatch/fleetwatch.git"
}

variable "target_revision" {
  description = "Branch (or tag) of the platform repository the root Application follows."
  type        = string
  default     = "main"
}

variable "extra_values" {
  description = "More values of the argo-cd chart (HA replicas, ingress, resources...), merged over the module's."
  type        = any
  default     = {}
}
