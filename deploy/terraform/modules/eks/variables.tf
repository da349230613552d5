variable "name" {
  description = "Name of the EKS cluster (argocd/platform/aws-load-balancer-controller.yaml's clusterName)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,99}$", var.name))
    error_message = "name must start with a letter and contain only letters, digits and hyphens (at most 100 characters)."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the control plane and the node groups (the charts are validated against 1.33)."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.33."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the control plane's network interfaces and the nodes (network module's private_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API is also reachable from the internet (only from public_access_cidrs). Off: reach it from inside the VPC (VPN, bastion, CI runners in the VPC)."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "Addresses allowed to reach the public API endpoint when endpoint_public_access is true (never 0.0.0.0/0)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid IPv4 CIDR blocks, and not 0.0.0.0/0."
  }
}

variable "admin_principal_arns" {
  description = "IAM roles (or users) given cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy). Include the role Terraform runs as: the helm provider of argocd-bootstrap authenticates with it."
  type        = list(string)

  validation {
    condition     = length(var.admin_principal_arns) > 0 && alltrue([for arn in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "admin_principal_arns must list at least one IAM role or user ARN."
  }
}

variable "node_groups" {
  description = "Managed node groups, by name. All run in the private subnets from a launch template (IMDSv2 only, encrypted gp3 root volume)."
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
  nullable = false
  default = {
    general = {
      instance_types = ["m7i.xlarge", "m6i.xlarge"]
      min_size       = 3
      max_size       = 12
      desired_size   = 3
    }
  }

  validation {
    condition     = alltrue([for group in values(var.node_groups) : group.min_size <= group.desired_size && group.desired_size <= group.max_size])
    error_message = "Every node group needs min_size <= desired_size <= max_size."
  }

  validation {
    condition     = alltrue([for group in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], group.capacity_type)])
    error_message = "capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "metadata_hop_limit" {
  description = "IMDSv2 response hop limit of the nodes. 1 keeps pods (one hop further) away from the node role's credentials; workloads get their own roles through IRSA. 2 only for a workload that must read instance metadata."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2], var.metadata_hop_limit)
    error_message = "metadata_hop_limit must be 1 or 2."
  }
}

variable "ebs_kms_key_arn" {
  description = "KMS key of the nodes' root volumes; null uses the account's EBS key (aws/ebs). A customer key must let the Auto Scaling service-linked role use it."
  type        = string
  default     = null
}

variable "addon_versions" {
  description = "Pinned versions of the EKS add-ons by add-on name (vpc-cni, kube-proxy, coredns, eks-pod-identity-agent, aws-ebs-csi-driver); an add-on left out gets the default version for the cluster's Kubernetes version."
  type        = map(string)
  default     = {}
}

variable "enable_ebs_csi_driver" {
  description = "Install the EBS CSI driver add-on (persistent volumes: Prometheus, the in-cluster OpenSearch of argocd/platform/opensearch.yaml)."
  type        = bool
  default     = true
}

variable "ebs_csi_configuration_values" {
  description = "Configuration values of the EBS CSI driver add-on (aws eks describe-addon-configuration --addon-name aws-ebs-csi-driver). The default makes the driver create the default StorageClass ebs-csi-default-sc (gp3), since EKS marks none as default from 1.30 on; it sets no encryption parameter, so turn on EBS encryption by default in the account (envs/prod does)."
  type        = any
  default = {
    defaultStorageClass = { enabled = true }
  }
}

variable "log_retention_days" {
  description = "Retention of the control plane's log group in CloudWatch Logs, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
