variable "name" {
  description = "Name of the MSK cluster and prefix of its resources (e.g. fleetwatch-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,63}$", var.name))
    error_message = "name must start with a letter and contain only letters, digits and hyphens (at most 64 characters)."
  }
}

variable "vpc_id" {
  description = "ID of the VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Data subnets, one per broker AZ (network module's data_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must be the three data subnets (one broker per AZ)."
  }
}

variable "allowed_cidr_blocks" {
  description = "Networks allowed to reach the brokers (SASL/SCRAM 9096, IAM 9098 when enabled) and the Prometheus exporters (11001-11002): the private node and pod subnets."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for cidr in var.allowed_cidr_blocks : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "allowed_cidr_blocks must list valid private IPv4 CIDR blocks (never 0.0.0.0/0)."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version of the brokers (the local development broker runs 3.9.1)."
  type        = string
  default     = "3.9.x"
}

variable "broker_instance_type" {
  description = "Instance type of the brokers."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_volume_size_gib" {
  description = "EBS storage per broker, in GiB."
  type        = number
  default     = 500

  validation {
    condition     = var.broker_volume_size_gib >= 1 && var.broker_volume_size_gib <= 16384
    error_message = "broker_volume_size_gib must be between 1 and 16384."
  }
}

variable "iam_authentication" {
  description = "Also enable IAM client authentication (port 9098), e.g. for KEDA with awsmskiam. The services use SASL/SCRAM (9096)."
  type        = bool
  default     = false
}

variable "scram_username" {
  description = "SASL/SCRAM user of the services (the username key of the tenants' fleetwatch-kafka Secret)."
  type        = string
  default     = "fleetwatch"
}

variable "default_partitions" {
  description = "num.partitions of topics created without an explicit count (the services create theirs with explicit counts)."
  type        = number
  default     = 6
}

variable "log_retention_days" {
  description = "Retention of the broker log group in CloudWatch Logs, in days."
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
