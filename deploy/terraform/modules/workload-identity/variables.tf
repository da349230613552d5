variable "name" {
  description = "Prefix of the role names: <name>-aws-load-balancer-controller etc. (argocd/platform/aws-load-balancer-controller.yaml expects fleetwatch-aws-load-balancer-controller)."
  type        = string
}

variable "cluster_name" {
  description = "Name of the EKS cluster (Pod Identity associations and their trust condition)."
  type        = string
}

variable "mechanism" {
  description = "How pods get their roles: irsa (the service account carries the eks.amazonaws.com/role-arn annotation, as argocd/platform does today) or pod-identity (EKS Pod Identity associations; no annotation needed)."
  type        = string
  default     = "irsa"

  validation {
    condition     = contains(["irsa", "pod-identity"], var.mechanism)
    error_message = "mechanism must be irsa or pod-identity."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module), for IRSA."
  type        = string
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (eks module), for IRSA."
  type        = string
}

variable "service_accounts" {
  description = "Namespace and service account of each workload, as the charts in argocd/platform name them. Every role trusts exactly this one service account."
  type = object({
    aws_load_balancer_controller = optional(object({ namespace = string, name = string }), { namespace = "kube-system", name = "aws-load-balancer-controller" })
    fluent_bit                   = optional(object({ namespace = string, name = string }), { namespace = "logging", name = "fluent-bit" })
    keda                         = optional(object({ namespace = string, name = string }), { namespace = "keda", name = "keda-operator" })
    external_secrets             = optional(object({ namespace = string, name = string }), { namespace = "external-secrets", name = "external-secrets" })
  })
  default = {}
}

variable "fluent_bit_opensearch" {
  description = "Create the Fluent Bit role that writes to the logs domain (opensearch_domain_arn)."
  type        = bool
  default     = true
}

variable "opensearch_domain_arn" {
  description = "ARN of the OpenSearch logs domain Fluent Bit writes to (opensearch module); used when fluent_bit_opensearch is true."
  type        = string
  default     = null
}

variable "keda_msk_iam" {
  description = "Create a KEDA role for MSK IAM authentication. With SASL/SCRAM (the default, the charts' TriggerAuthentication reads the tenant's fleetwatch-kafka Secret) KEDA needs no AWS permissions at all."
  type        = bool
  default     = false
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster (msk module); used when keda_msk_iam is true."
  type        = string
  default     = null
}

variable "external_secrets_secret_arns" {
  description = "Secrets Manager secrets External Secrets may read: the MSK SCRAM secret and the database URL secret (the sources of each tenant's fleetwatch-kafka and fleetwatch-database Secrets)."
  type        = list(string)
}

variable "external_secrets_kms_key_arns" {
  description = "KMS keys of those secrets (decrypt only through Secrets Manager)."
  type        = list(string)
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
