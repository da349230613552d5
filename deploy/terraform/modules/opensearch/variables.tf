variable "name" {
  description = "Domain name (3-28 characters: lower-case letters, digits, hyphens), e.g. fleetwatch-logs."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "name must be 3-28 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Data subnets, one per AZ (network module's data_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must be the three data subnets (zone awareness over three AZs)."
  }
}

variable "allowed_cidr_blocks" {
  description = "Networks allowed to reach the domain on HTTPS (443): the private node and pod subnets (Fluent Bit, Grafana, operators through the cluster)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for cidr in var.allowed_cidr_blocks : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "allowed_cidr_blocks must list valid private IPv4 CIDR blocks (never 0.0.0.0/0)."
  }
}

variable "engine_version" {
  description = "OpenSearch version of the domain."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = startswith(var.engine_version, "OpenSearch_")
    error_message = "engine_version must be an OpenSearch version, e.g. OpenSearch_2.19."
  }
}

variable "instance_type" {
  description = "Instance type of the data nodes."
  type        = string
  default     = "r7g.large.search"
}

variable "instance_count" {
  description = "Number of data nodes (a multiple of three: one share per AZ)."
  type        = number
  default     = 3

  validation {
    condition     = var.instance_count >= 3 && var.instance_count % 3 == 0
    error_message = "instance_count must be a multiple of 3."
  }
}

variable "master_instance_type" {
  description = "Instance type of the three dedicated master nodes."
  type        = string
  default     = "m7g.large.search"
}

variable "volume_size_gib" {
  description = "gp3 storage per data node, in GiB."
  type        = number
  default     = 200
}

variable "admin_role_arn" {
  description = "IAM role that is the fine-grained access control master user (all_access): platform administrators, and whoever maps the Fluent Bit role (README.md)."
  type        = string
}

variable "writer_role_arns" {
  description = "IAM roles allowed through the domain's access policy to write logs (the Fluent Bit role); inside OpenSearch they still need a role mapping (README.md)."
  type        = list(string)
}

variable "create_service_linked_role" {
  description = "Create the OpenSearch Service service-linked role (needed once per account for VPC domains; false when the account already has it)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the domain's log groups (audit, slow logs, errors) in CloudWatch Logs, in days."
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
