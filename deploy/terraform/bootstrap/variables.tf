variable "region" {
  description = "Region of the state bucket (the environments' region)."
  type        = string
  default     = "eu-west-1"
}

variable "bucket_prefix" {
  description = "Prefix of the bucket names: <prefix>-tfstate-<account>-<region> and <prefix>-tfstate-logs-<account>-<region>."
  type        = string
  default     = "fleetwatch"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,20}$", var.bucket_prefix))
    error_message = "bucket_prefix must be 2-21 lower-case letters, digits and hyphens."
  }
}

variable "state_admin_principal_arns" {
  description = "IAM roles that run Terraform (plan and apply) for the environments: the only principals, besides the account's administrators through IAM, allowed to use the state key."
  type        = list(string)
  default     = []
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten state version is kept (to roll back a broken apply)."
  type        = number
  default     = 365
}

variable "access_log_retention_days" {
  description = "Days the bucket's access logs are kept."
  type        = number
  default     = 365
}
