variable "name" {
  description = "Name prefix of the KMS key and alias (e.g. fleetwatch-prod)."
  type        = string
}

variable "repository_prefix" {
  description = "Prefix of the repository names: the charts pull <account>.dkr.ecr.<region>.amazonaws.com/fleetwatch/<service>."
  type        = string
  default     = "fleetwatch"
}

variable "services" {
  description = "One repository per service image (the performance writer and the migrations run from their service's image)."
  type        = list(string)
  default     = ["fleet", "performance", "crew", "maintenance"]

  validation {
    condition     = alltrue([for service in var.services : can(regex("^[a-z][a-z0-9-]*$", service))])
    error_message = "services must be lower-case names (letters, digits, hyphens)."
  }
}

variable "untagged_expiry_days" {
  description = "Untagged images (layers of superseded builds) are deleted this many days after their push."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1."
  }
}

variable "release_tag_patterns" {
  description = "Tag patterns (ECR wildcards) of release images: the pipeline's <version>-g<revision> (deploy/pipeline/README.md) and plain versions such as 1.5.0 or 1.5.0-rc.1 (the tenant files' images.<service>)."
  type        = list(string)
  default     = ["*.*.*"]
}

variable "keep_release_count" {
  description = "How many release images each repository keeps (the newest by push time). Every build of main pushes one (deploy/pipeline), and a tag still named by a tenant file must stay among them, or its pods stop pulling (pullPolicy Always): size it for the oldest tag a tenant may lag behind on."
  type        = number
  default     = 300

  validation {
    condition     = var.keep_release_count >= 10
    error_message = "keep_release_count must be at least 10."
  }
}

variable "other_tag_expiry_days" {
  description = "Images with other tags (CI builds such as sha-1a2b3c4) are deleted this many days after their push."
  type        = number
  default     = 30
}

variable "push_principal_arns" {
  description = "IAM roles allowed to push (the CI pipeline's role). Empty: nobody pushes through the repository policy."
  type        = list(string)
  default     = []
}

variable "pull_principal_arns" {
  description = "IAM roles allowed to pull (the EKS node role)."
  type        = list(string)
}

variable "enhanced_scanning" {
  description = "Amazon Inspector enhanced scanning (continuous, OS and language packages) for the whole registry instead of basic scan on push. Needs Inspector enabled in the account."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
