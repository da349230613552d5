variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "azs" {
  description = "The three availability zones of the VPC, in subnet order."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "name" {
  description = "Name of the environment's resources: the EKS cluster (clusterName in argocd/platform/aws-load-balancer-controller.yaml), the MSK cluster (b-1.<name>... broker names), the IAM roles (<name>-aws-load-balancer-controller). One environment per AWS account; a second one in the same account needs another name."
  type        = string
  default     = "fleetwatch"
}

variable "environment" {
  description = "Environment name, in the tags."
  type        = string
  default     = "prod"
}

variable "tags" {
  description = "Extra tags of every resource (the provider's default_tags)."
  type        = map(string)
  default     = {}
}

# ---- network ----------------------------------------------------------------------------------------

variable "single_nat_gateway" {
  description = "One NAT gateway for the VPC instead of one per AZ (cheaper, not zone-resilient)."
  type        = bool
  default     = false
}

# ---- EKS --------------------------------------------------------------------------------------------

variable "kubernetes_version" {
  description = "Kubernetes version of the cluster."
  type        = string
  default     = "1.33"
}

variable "cluster_admin_role_arns" {
  description = "IAM roles with cluster-admin (EKS access entries): platform administrators and the role Terraform runs as (argocd_bootstrap's helm provider uses it)."
  type        = list(string)
}

variable "cluster_endpoint_public_access" {
  description = "Expose the Kubernetes API publicly (restricted to cluster_endpoint_public_access_cidrs); off: reach it from the VPC."
  type        = bool
  default     = false
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "Addresses allowed to the public API endpoint when it is on."
  type        = list(string)
  default     = []
}

variable "node_groups" {
  description = "Managed node groups (see modules/eks variable node_groups); null keeps the module's default (one general group, 3-12 m7i/m6i.xlarge)."
  type = map(object({
    instance_types = list(string)
    capacity_type  = optional(string, "ON_DEMAND")
    ami_type       = optional(string, "AL2023_x86_64_STANDARD")
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
    labels         = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
  }))
  default = null
}

# ---- ECR --------------------------------------------------------------------------------------------

variable "ci_role_arns" {
  description = "IAM roles of the CI pipeline allowed to push images."
  type        = list(string)
  default     = []
}

# ---- data services ----------------------------------------------------------------------------------

variable "rds_instance_class" {
  description = "DB instance class of PostgreSQL."
  type        = string
  default     = "db.m7g.large"
}

variable "msk_broker_instance_type" {
  description = "Instance type of the MSK brokers."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_iam_authentication" {
  description = "Also enable MSK IAM authentication (and a KEDA role for it); the services use SASL/SCRAM."
  type        = bool
  default     = false
}

variable "enable_opensearch" {
  description = "Create the Amazon OpenSearch Service logs domain (and the Fluent Bit role that writes to it)."
  type        = bool
  default     = true
}

variable "opensearch_admin_role_arn" {
  description = "IAM role that is the OpenSearch master user (fine-grained access control); null: the first of cluster_admin_role_arns."
  type        = string
  default     = null
}

# ---- Argo CD ----------------------------------------------------------------------------------------

variable "bootstrap_argocd" {
  description = "Install Argo CD and the root Application. Second stage: leave false until the cluster exists and is reachable from where Terraform runs (README.md)."
  type        = bool
  default     = false
}

variable "argocd_domain" {
  description = "Host name of the Argo CD UI and API."
  type        = string
  default     = "argocd.fleetwatch.example.com"
}

variable "argocd_oidc" {
  description = "Argo CD's OIDC login (see modules/argocd-bootstrap variable oidc): the identity provider of the services (argocd/values/environment.yaml auth.issuer)."
  type = object({
    name              = optional(string, "SSO")
    issuer            = string
    client_id         = string
    client_secret_ref = optional(string, "$argocd-oidc:clientSecret")
    requested_scopes  = optional(list(string), ["openid", "profile", "email", "groups"])
  })
  default = {
    issuer    = "https://login.fleetwatch.example.com/"
    client_id = "argocd"
  }
}

variable "argocd_admin_groups" {
  description = "Identity-provider groups that administer Argo CD (platform administrators)."
  type        = list(string)
  default     = ["fleetwatch-platform-admins"]
}

variable "argocd_readonly_groups" {
  description = "Identity-provider groups with read-only access to every Argo CD application."
  type        = list(string)
  default     = []
}

variable "platform_repo_url" {
  description = "URL of the platform repository the root Application syncs (argocd/README.md: the same URL must be in argocd/ and charts/tenant/values.yaml)."
  type        = string
  default     = "https://github.com/fleetwatch/fleetwatch.git"
}

variable "platform_repo_revision" {
  description = "Branch the root Application follows."
  type        = string
  default     = "main"
}
